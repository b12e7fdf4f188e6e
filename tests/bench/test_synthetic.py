"""The synthetic clinic generator: right counts, a valid signing chain, searchable, repeatable."""

from __future__ import annotations

from io import StringIO
from types import ModuleType

import pytest
from django.core.management import call_command
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, Qualification, Therapist, User
from softtissue.assessments.models import Assessment, BodyChartMark, Episode, SpecialTestResult
from softtissue.clients.models import Client, ClientSearchTerm, Consent
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import score_answers
from softtissue.reasoning import default_knowledge, validate_findings
from softtissue.rehab.models import Programme
from softtissue.treatments.models import TreatmentNote

pytestmark = pytest.mark.django_db
CLIENTS = 20


def test_it_makes_the_clients_and_their_records(synthetic: ModuleType) -> None:
    built = synthetic.build_clinic(CLIENTS, seed=3, batch=7)
    clinic = Clinic.objects.get(pk=built.clinic_id)
    clients = Client.objects.filter(clinic=clinic)
    assert clients.count() == CLIENTS
    assert Consent.objects.filter(clinic=clinic).count() == CLIENTS * 3
    assert TreatmentNote.objects.filter(clinic=clinic, status="signed").count() == CLIENTS * 10
    episodes = Episode.objects.filter(clinic=clinic)
    assert CLIENTS <= episodes.count() <= CLIENTS * 2
    assert not clients.filter(episodes__isnull=True).exists()
    assert Assessment.objects.filter(clinic=clinic).count() >= episodes.count()
    assert BodyChartMark.objects.filter(clinic=clinic).exists()
    assert MeasureAdministration.objects.filter(clinic=clinic).count() >= 2 * episodes.count()
    for name, count in built.counts.items():
        assert count >= 0, name
    assert built.counts["clients"] == CLIENTS
    assert built.counts["notes"] == CLIENTS * 10
    assert built.counts["search_terms"] == ClientSearchTerm.objects.filter(clinic=clinic).count()


def test_it_gives_therapists_their_qualifications(synthetic: ModuleType) -> None:
    built = synthetic.build_clinic(3, seed=1)
    therapists = Therapist.objects.filter(clinic_id=built.clinic_id)
    assert therapists.count() == 5  # the owner and four therapists
    held = set(
        Qualification.objects.filter(clinic_id=built.clinic_id).values_list(
            "knowledge_id", flat=True
        )
    )
    assert held and held <= set(default_knowledge().qualifications)
    reception = User.objects.get(email=synthetic.login_email(built.clinic_id, "reception"))
    assert not reception.membership.is_clinical
    therapist = User.objects.get(email=synthetic.login_email(built.clinic_id))
    assert therapist.check_password(synthetic.PASSWORD)
    assert therapist.membership.role == "therapist"


def test_it_signs_every_note_into_a_valid_chain(synthetic: ModuleType) -> None:
    synthetic.build_clinic(CLIENTS, seed=2, batch=6)
    out = StringIO()
    call_command("verify-notes", stdout=out)
    assert f"{CLIENTS * 10} signed records verified" in out.getvalue()


def test_it_continues_the_chain_after_a_note_is_signed_by_the_app(
    synthetic: ModuleType,
) -> None:
    from softtissue.treatments.signing import sign_note

    built = synthetic.build_clinic(2, seed=2)
    episode = Episode.objects.filter(clinic_id=built.clinic_id).first()
    assert episode is not None
    user = User.objects.get(email=synthetic.login_email(built.clinic_id))
    draft = TreatmentNote.objects.create(clinic_id=built.clinic_id, episode=episode, subjective="x")
    signed = sign_note(draft.pk, built.clinic_id, user)
    assert signed.sequence == 21
    call_command("verify-notes", stdout=StringIO())


def test_it_stores_findings_and_scores_the_core_accepts(synthetic: ModuleType) -> None:
    built = synthetic.build_clinic(CLIENTS, seed=4)
    kb = default_knowledge()
    for assessment in Assessment.objects.filter(clinic_id=built.clinic_id):
        validate_findings(assessment.findings, kb)
    for mark in BodyChartMark.objects.filter(clinic_id=built.clinic_id):
        region = mark.assessment.episode.region
        assert mark.area in kb.regions[region]["body_chart"]
    for result in SpecialTestResult.objects.filter(clinic_id=built.clinic_id):
        assert result.test_id in kb.special_tests
    for administration in MeasureAdministration.objects.filter(clinic_id=built.clinic_id):
        assert (
            administration.score
            == score_answers(administration.measure, administration.answers).score
        )
    programmes = Programme.objects.filter(clinic_id=built.clinic_id)
    for programme in programmes:
        assert all(e.exercise in kb.exercises for e in programme.exercises.all())


def test_it_finds_a_generated_client_by_name(synthetic: ModuleType, web: WebClient) -> None:
    built = synthetic.build_clinic(CLIENTS, seed=5)
    web.force_login(User.objects.get(email=synthetic.login_email(built.clinic_id)))
    wanted = Client.objects.filter(clinic_id=built.clinic_id).order_by("pk")[CLIENTS // 2]
    response = web.get("/clients/", {"q": f"{wanted.first_name} {wanted.last_name}"})
    assert response.status_code == 200
    assert wanted.get_absolute_url() in response.content.decode()


def test_it_repeats_itself_with_the_same_seed(synthetic: ModuleType) -> None:
    first = synthetic.build_clinic(5, seed=9)
    second = synthetic.build_clinic(5, seed=9)
    other = synthetic.build_clinic(5, seed=10)

    def names(clinic_id: int) -> list[tuple[str, str, str]]:
        rows = Client.objects.filter(clinic_id=clinic_id).order_by("pk")
        return [(c.first_name, c.last_name, c.phone) for c in rows]

    assert names(first.clinic_id) == names(second.clinic_id)
    assert names(first.clinic_id) != names(other.clinic_id)


def test_it_refuses_an_unknown_engine(synthetic: ModuleType) -> None:
    with pytest.raises(ValueError, match="unknown engine 'mysql'"):
        synthetic.database_url(10, "mysql")

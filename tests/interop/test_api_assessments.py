"""Assessment operations: list, start, read with findings, and the reasoning panel's answers."""

from __future__ import annotations

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.assessments.models import Assessment
from softtissue.clients.models import Consent
from tests.interop.api_helpers import assert_error, make_record, send


def test_it_lists_an_episodes_assessments(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    body = web.get(f"/api/v1/episodes/{record.episode.pk}/assessments").json()
    assert body["count"] == 1 and body["items"][0]["kind"] == "initial"


def test_it_reads_an_assessment_with_its_findings(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    body = web.get(f"/api/v1/assessments/{record.assessment.pk}").json()
    assert body["onset"] == "gradual"
    assert body["findings"]["test_cozen"] is True
    assert body["findings"]["pain_nrs"] == 6 and body["findings"]["onset"] == "gradual"
    assert body["body_chart"][0]["area"] == "elbow"
    movement = body["range_of_motion"][0]
    assert movement["movement_id"] == "elbow-extension" and movement["degrees"] == 120
    assert body["special_tests"] == [
        {"test_id": "special-test.cozen", "name": "Cozen's test", "result": "positive"}
    ]


def test_it_starts_an_assessment_then_a_reassessment(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    path = f"/api/v1/episodes/{record.episode.pk}/assessments"
    body = {"onset": "sudden", "symptom_duration_weeks": 3, "previous_episodes": False}
    response = send(web, "POST", path, body)
    assert response.status_code == 201
    created = Assessment.objects.get(pk=response.json()["id"])
    assert created.kind == "reassessment" and created.onset == "sudden"
    assert created.previous_episodes is False and created.symptom_duration_weeks == 3
    assert created.therapist == alice.therapist and created.clinic == clinic_a


def test_it_refuses_bad_history(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    path = f"/api/v1/episodes/{record.episode.pk}/assessments"
    for body, where in (
        ({"onset": "yesterday"}, "onset"),
        ({"symptom_duration_weeks": 5000}, "symptom_duration_weeks"),
        ({"symptom_duration_weeks": "many"}, "symptom_duration_weeks"),
    ):
        assert assert_error(send(web, "POST", path, body), 422)["errors"][0]["loc"][-1] == where
    assert Assessment.objects.count() == 1


def test_it_needs_consent_and_an_open_episode(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    path = f"/api/v1/episodes/{record.episode.pk}/assessments"
    Consent.objects.create(
        clinic=clinic_a,
        client=record.client,
        kind="assessment_treatment",
        given=False,
        method="paper",
        signed_name="Priya Shah",
        recorded_at=timezone.now(),
    )
    assert "consented" in assert_error(send(web, "POST", path, {}), 409)["detail"]
    Consent.objects.filter(given=False).delete()
    record.episode.discharged_at = timezone.now()
    record.episode.save()
    assert "discharged" in assert_error(send(web, "POST", path, {}), 409)["detail"]
    assert Assessment.objects.count() == 1


def test_it_answers_the_reasoning_panel(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    body = web.get(f"/api/v1/assessments/{record.assessment.pk}/reasoning").json()
    assert set(body) == {
        "findings",
        "triage",
        "contraindications",
        "differential",
        "scope",
        "scope_reason",
        "unanswered",
        "safety_nets",
    }
    assert body["findings"]["test_cozen"] is True
    assert body["triage"] == {"urgency": "none", "flags": []}
    assert [net["id"] for net in body["safety_nets"]] == ["safety-net.general"]
    # Alice has no qualification recorded, so the scope preview blocks and says why, and no
    # qualification lets her see a working impression.
    assert body["scope"]["outcome"] == "block"
    assert body["scope_reason"].startswith("No qualification is recorded.")
    assert "insurance follows your qualification" in body["scope_reason"]
    assert body["differential"]["candidates"] == []
    assert body["differential"]["withheld"] is True
    Qualification.objects.create(therapist=alice.therapist, knowledge_id="qualification.stt-l5")
    body = web.get(f"/api/v1/assessments/{record.assessment.pk}/reasoning").json()
    assert body["differential"]["enough_information"] is True
    assert body["differential"]["withheld"] is False
    leading = body["differential"]["candidates"][0]
    assert leading["condition"] == "condition.lateral-elbow-tendinopathy"
    assert {"finding", "value", "lr", "sources"} <= set(leading["because"][0])


def test_it_reports_red_flags_in_the_reasoning(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a, alice)
    record.assessment.findings = {"saddle_anaesthesia": True}
    record.assessment.save()
    web.force_login(alice)
    body = web.get(f"/api/v1/assessments/{record.assessment.pk}/reasoning").json()
    assert body["triage"]["urgency"] == "refer_emergency"
    flag = body["triage"]["flags"][0]
    assert flag["rule_id"] == "red-flag.cauda-equina"
    assert flag["name"] == "Possible cauda equina syndrome"
    assert flag["because"] == ["saddle_anaesthesia"]


def test_it_previews_no_scope_without_a_therapist_profile(
    web: WebClient, owner: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a)
    owner.therapist.delete()
    web.force_login(owner)
    body = web.get(f"/api/v1/assessments/{record.assessment.pk}/reasoning").json()
    assert body["scope"] is None and "no therapist profile" in body["scope_reason"]


def test_it_keeps_assessments_from_reception_and_other_clinics(
    web: WebClient, reception: User, charlie: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a)
    web.force_login(reception)
    assert_error(send(web, "POST", f"/api/v1/episodes/{record.episode.pk}/assessments", {}), 403)
    web.force_login(charlie)
    for path in (
        f"/api/v1/assessments/{record.assessment.pk}",
        f"/api/v1/assessments/{record.assessment.pk}/reasoning",
        f"/api/v1/episodes/{record.episode.pk}/assessments",
    ):
        assert_error(web.get(path), 404)

"""start_back_risk: taken from the episode's latest scored STarT Back unless answered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.findings import START_BACK_RISK, FindingInputs, build_findings
from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.panel import assessment_findings, load_records
from softtissue.assessments.questions import kb
from softtissue.clients.models import Client
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import definitions, record_administration
from softtissue.reasoning.findings import Value

TODAY = date(2026, 12, 8)
# Items 1-8 agree (1) or disagree (0); item 9 on its 0-4 scale.
LOW = [1, 1, 1, 0, 0, 0, 0, 0, 0]  # total 3
MEDIUM = [1, 1, 1, 1, 0, 0, 1, 0, 2]  # total 5, psychosocial 1
HIGH = [0, 0, 0, 0, 1, 1, 1, 0, 3]  # total 4, psychosocial 4
UNSCORABLE = [1, 1, 1, 1, 1, 1, 1, 1, None]


def give(
    episode: Episode, answers: Sequence[int | None], days_ago: int = 0
) -> MeasureAdministration:
    administration = record_administration(episode, "start_back", answers, None)
    if days_ago:
        administration.administered_at -= timedelta(days=days_ago)
        administration.save(update_fields=["administered_at"])
    return administration


def findings_of(assessment: Assessment) -> dict[str, Value]:
    assessment.refresh_from_db()
    return assessment_findings(load_records(assessment), TODAY)


@pytest.mark.parametrize(
    ("answers", "band", "risk"),
    [(LOW, "low risk", "low"), (MEDIUM, "medium risk", "medium"), (HIGH, "high risk", "high")],
)
def test_it_takes_the_risk_group_from_a_scored_start_back(
    back_assessment: Assessment, answers: Sequence[int | None], band: str, risk: str
) -> None:
    assert give(back_assessment.episode, answers).band == band
    assert findings_of(back_assessment)["start_back_risk"] == risk


def test_it_uses_the_latest_administration_not_the_last_entered(
    back_assessment: Assessment,
) -> None:
    give(back_assessment.episode, LOW, days_ago=2)
    give(back_assessment.episode, HIGH, days_ago=1)
    give(back_assessment.episode, MEDIUM, days_ago=30)  # entered last, given first
    assert findings_of(back_assessment)["start_back_risk"] == "high"


@pytest.mark.parametrize("answer", ["low", "medium"])
def test_it_lets_an_explicit_answer_win_over_the_measure(
    back_assessment: Assessment, answer: str
) -> None:
    give(back_assessment.episode, HIGH)
    back_assessment.findings = {"start_back_risk": answer}
    back_assessment.save()
    assert findings_of(back_assessment)["start_back_risk"] == answer


def test_it_ignores_an_unscorable_administration(back_assessment: Assessment) -> None:
    give(back_assessment.episode, UNSCORABLE)
    assert "start_back_risk" not in findings_of(back_assessment)
    give(back_assessment.episode, LOW, days_ago=5)
    assert findings_of(back_assessment)["start_back_risk"] == "low"


def test_it_ignores_another_measure(back_assessment: Assessment) -> None:
    record_administration(back_assessment.episode, "odi", [5] * 10, None)
    assert "start_back_risk" not in findings_of(back_assessment)


def test_it_ignores_another_episodes_administration(back_assessment: Assessment) -> None:
    other = Episode.objects.create(
        clinic=back_assessment.clinic,
        client=back_assessment.episode.client,
        presenting_problem="Back pain last year",
        region="region.lumbar-pelvis",
    )
    give(other, HIGH)
    assert "start_back_risk" not in findings_of(back_assessment)


def test_it_ignores_another_clinics_administration(
    back_assessment: Assessment, clinic_b: Clinic
) -> None:
    charlies_client = Client.objects.create(
        clinic=clinic_b, first_name="Cara", last_name="Lee", date_of_birth=date(1975, 6, 1)
    )
    charlies_episode = Episode.objects.create(
        clinic=clinic_b,
        client=charlies_client,
        presenting_problem="Low back pain",
        region="region.lumbar-pelvis",
    )
    give(charlies_episode, HIGH)
    # A row that names this episode but belongs to another clinic is not read either.
    MeasureAdministration.objects.create(
        clinic=clinic_b,
        episode=back_assessment.episode,
        measure="start_back",
        answers=list(HIGH),
        score=4.0,
        scorable=True,
        band="high risk",
    )
    assert "start_back_risk" not in findings_of(back_assessment)


def test_it_maps_every_band_the_core_names_to_a_choice() -> None:
    definition = definitions()["start_back"]
    choices = kb().findings["start_back_risk"].choices
    assert [START_BACK_RISK[band.label] for band in definition.bands] == list(choices)


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (FindingInputs(start_back_band="high risk"), "high"),
        (FindingInputs(start_back_band=""), None),
        (FindingInputs(start_back_band="very high risk"), None),
        (FindingInputs(start_back_band="high risk", answers={"start_back_risk": "low"}), "low"),
        # An answer that is not one of the choices is dropped, so the measure stands.
        (FindingInputs(start_back_band="medium risk", answers={"start_back_risk": "x"}), "medium"),
    ],
)
def test_it_builds_the_finding_from_plain_data(inputs: FindingInputs, expected: str | None) -> None:
    assert build_findings(inputs, kb()).get("start_back_risk") == expected


def page_queries(web: WebClient, assessment: Assessment) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_reads_the_measure_in_a_fixed_number_of_queries(
    web: WebClient, alice: User, back_assessment: Assessment
) -> None:
    web.force_login(alice)
    page_queries(web, back_assessment)  # warm the session
    before = page_queries(web, back_assessment)
    for days_ago in range(1, 21):
        give(back_assessment.episode, HIGH if days_ago % 2 else LOW, days_ago=days_ago)
    assert page_queries(web, back_assessment) == before


def test_it_asks_saves_and_uses_the_answer_on_the_page(
    web: WebClient, alice: User, back_assessment: Assessment
) -> None:
    give(back_assessment.episode, LOW)
    web.force_login(alice)
    page = web.get(reverse("assessment_detail", args=[back_assessment.pk])).content.decode()
    assert 'name="region-start_back_risk"' in page
    url = reverse("save_assessment_section", args=[back_assessment.pk, "region"])
    response = web.post(url, {"region-start_back_risk": "high"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<option value="high" selected>' in response.content.decode()
    assert findings_of(back_assessment)["start_back_risk"] == "high"
    web.post(url, {"region-start_back_risk": ""})  # back to "Not asked": the measure stands
    assert findings_of(back_assessment)["start_back_risk"] == "low"

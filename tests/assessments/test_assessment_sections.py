"""Saving each section of an assessment, with htmx and without, and refusing bad input."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    RangeOfMotion,
    SpecialTestResult,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
MARK = {
    "mark-area": "elbow",
    "mark-view": "front",
    "mark-side": "right",
    "mark-symptom": "pain",
    "mark-intensity": "6",
    "mark-depth": "deep",
}
MOVEMENT = {"rom-movement": "forearm-supination", "rom-side": "right", "rom-degrees": "60"}


def save(web: WebClient, assessment: Assessment, section: str, data: dict[str, str], **extra: str):
    url = reverse("save_assessment_section", args=[assessment.pk, section])
    return web.post(url, data, **extra)


def field_html(html: str, name: str) -> str:
    """The field's own tag (input or select), to check it is marked invalid."""
    match = re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


@pytest.fixture
def logged_in(web: WebClient, alice: User) -> WebClient:
    web.force_login(alice)
    return web


def test_it_saves_the_history_and_redirects_without_htmx(
    logged_in: WebClient, assessment: Assessment
) -> None:
    data = {
        "history-onset": "gradual",
        "history-symptom_duration_weeks": "8",
        "history-irritability": "moderate",
        "history-previous_episodes": "false",
        "history-aggravating": "Gripping a kettle",
    }
    response = save(logged_in, assessment, "history", data)
    assessment.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith("#section-history")
    assert (assessment.onset, assessment.symptom_duration_weeks) == ("gradual", 8)
    assert assessment.previous_episodes is False
    assert assessment.aggravating == "Gripping a kettle"


def test_it_returns_the_section_and_the_panel_to_htmx(
    logged_in: WebClient, assessment: Assessment
) -> None:
    response = save(logged_in, assessment, "history", {"history-onset": "sudden"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section class="card section" id="section-history"' in html
    assert '<div id="reasoning" class="reasoning" hx-swap-oob="true">' in html
    assert "<html" not in html


def test_it_saves_screening_answers_into_the_findings(
    logged_in: WebClient, back_assessment: Assessment
) -> None:
    data = {"screening-saddle_anaesthesia": "yes", "screening-fever": "no"}
    save(logged_in, back_assessment, "screening", data)
    back_assessment.refresh_from_db()
    assert back_assessment.findings == {"saddle_anaesthesia": True, "fever": False}
    save(logged_in, back_assessment, "screening", {"screening-fever": "no"})
    back_assessment.refresh_from_db()
    assert back_assessment.findings == {"fever": False}


def test_it_keeps_region_answers_when_screening_is_saved(
    logged_in: WebClient, assessment: Assessment
) -> None:
    save(logged_in, assessment, "region", {"region-lateral_elbow_pain": "yes"})
    save(logged_in, assessment, "screening", {"screening-fever": "no"})
    assessment.refresh_from_db()
    assert assessment.findings == {"lateral_elbow_pain": True, "fever": False}


def test_it_adds_and_removes_a_mark(logged_in: WebClient, assessment: Assessment) -> None:
    save(logged_in, assessment, "chart", MARK)
    mark = BodyChartMark.objects.get()
    assert (mark.area, mark.side, mark.symptom, mark.intensity) == ("elbow", "right", "pain", 6)
    assert mark.clinic == assessment.clinic
    logged_in.post(reverse("delete_mark", args=[assessment.pk, mark.pk]))
    assert BodyChartMark.objects.count() == 0


def test_it_records_and_rerecords_a_movement(logged_in: WebClient, assessment: Assessment) -> None:
    save(logged_in, assessment, "motion", MOVEMENT)
    save(logged_in, assessment, "motion", {**MOVEMENT, "rom-degrees": "70", "rom-painful": "on"})
    row = RangeOfMotion.objects.get()
    assert (row.movement_id, row.side, row.degrees, row.painful) == (
        "forearm-supination",
        "right",
        70,
        True,
    )


def test_it_flags_a_deficit_on_the_page(logged_in: WebClient, assessment: Assessment) -> None:
    response = save(logged_in, assessment, "motion", MOVEMENT, **HTMX)
    assert "Deficit: 20° below normal" in response.content.decode()


def test_it_records_special_tests(logged_in: WebClient, assessment: Assessment) -> None:
    data = {
        "tests-test_cozen": "positive",
        "tests-test_mill": "negative",
        "tests-test_elbow_flexion_pressure": "not_tested",
        "tests-other_test": "special-test.spurling-a",
        "tests-other_result": "negative",
    }
    save(logged_in, assessment, "tests", data)
    results = dict(SpecialTestResult.objects.values_list("test_id", "result"))
    assert results == {
        "special-test.cozen": "positive",
        "special-test.mill": "negative",
        "special-test.elbow-flexion-pressure": "not_tested",
        "special-test.spurling-a": "negative",
    }


def test_it_saves_notes(logged_in: WebClient, assessment: Assessment) -> None:
    save(logged_in, assessment, "notes", {"notes-palpation_notes": "Tender lateral epicondyle"})
    assessment.refresh_from_db()
    assert assessment.palpation_notes == "Tender lateral epicondyle"


def test_it_404s_an_unknown_section(logged_in: WebClient, assessment: Assessment) -> None:
    assert save(logged_in, assessment, "diagnosis", {}).status_code == 404


BAD = [
    ("chart", {**MARK, "mark-intensity": "14"}, "mark-intensity", "14", "Intensity runs from 0"),
    ("chart", {**MARK, "mark-intensity": "-1"}, "mark-intensity", "-1", "Intensity runs from 0"),
    ("chart", {**MARK, "mark-area": "spleen"}, "mark-area", None, "spleen is not an area"),
    ("chart", {**MARK, "mark-area": "heel"}, "mark-view", None, "drawn on the other figure"),
    ("chart", {**MARK, "mark-side": "centre"}, "mark-side", None, "left, right or both"),
    ("motion", {**MOVEMENT, "rom-degrees": "-10"}, "rom-degrees", "-10", "cannot be negative"),
    ("motion", {**MOVEMENT, "rom-degrees": "400"}, "rom-degrees", "400", "more than 360"),
    (
        "motion",
        {**MOVEMENT, "rom-movement": "knee-flexion"},
        "rom-movement",
        None,
        "knee-flexion is not a movement of this region",
    ),
    (
        "tests",
        {"tests-test_cozen": "positive", "tests-other_test": "special-test.made-up"},
        "tests-other_test",
        None,
        "special-test.made-up is not a special test",
    ),
    (
        "tests",
        {"tests-test_cozen": "positive", "tests-other_test": "special-test.neer"},
        "tests-other_result",
        None,
        "Choose the result",
    ),
    (
        "history",
        {"history-onset": "gradual", "history-symptom_duration_weeks": "-2"},
        "history-symptom_duration_weeks",
        "-2",
        "cannot be negative",
    ),
    (
        "history",
        {"history-onset": "gradual", "history-symptom_duration_weeks": "2000"},
        "history-symptom_duration_weeks",
        "2000",
        "at most 1040",
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("section", "data", "field", "typed", "message"), BAD)
def test_it_refuses_bad_input_next_to_the_field(
    logged_in: WebClient,
    assessment: Assessment,
    htmx: bool,
    section: str,
    data: dict[str, str],
    field: str,
    typed: str | None,
    message: str,
) -> None:
    response = save(logged_in, assessment, section, data, **(HTMX if htmx else {}))
    html = response.content.decode()
    assert response.status_code == 422
    tag = field_html(html, field)
    assert 'aria-invalid="true"' in tag
    if typed is not None:
        assert f'value="{typed}"' in tag
    # The message sits in the same field group, just before the field itself.
    group = html[: html.index(tag)]
    assert message in group[-600:]
    assert BodyChartMark.objects.count() == 0
    assert RangeOfMotion.objects.count() == 0
    assert SpecialTestResult.objects.count() == 0
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.onset, stored.symptom_duration_weeks) == ("", None)


def test_it_refuses_an_answer_that_is_not_a_choice(
    logged_in: WebClient, back_assessment: Assessment
) -> None:
    data = {"screening-saddle_anaesthesia": "yes", "screening-bilateral_leg_symptoms": "maybe"}
    response = save(logged_in, back_assessment, "screening", data)
    back_assessment.refresh_from_db()
    assert response.status_code == 422
    assert back_assessment.findings == {}

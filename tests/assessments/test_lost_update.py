"""Two clinicians saving one assessment section from pages opened before either saved."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment
from tests.page_forms import form_values

HTMX = {"HTTP_HX_REQUEST": "true"}


def open_section(web: WebClient, assessment: Assessment, section: str) -> dict[str, str]:
    """The section's form as the assessment page shows it."""
    page = web.get(assessment.get_absolute_url())
    return form_values(page, reverse("save_assessment_section", args=[assessment.pk, section]))


def save(web: WebClient, assessment: Assessment, section: str, data: dict[str, str]) -> object:
    url = reverse("save_assessment_section", args=[assessment.pk, section])
    return web.post(url, data, **HTMX)


@pytest.fixture
def colleague(web: WebClient, bob: User) -> WebClient:
    other = WebClient()
    other.force_login(bob)
    return other


@pytest.mark.parametrize(
    ("section", "mine", "theirs"),
    [
        ("history", ("history-goals", "Run 10 km by May"), ("history-mechanism", "Lifting boxes")),
        ("history", ("history-onset", "sudden"), ("history-previous_episodes", "true")),
        ("history", ("history-symptom_duration_weeks", "6"), ("history-easing", "Rest, ice")),
        (
            "notes",
            ("notes-observation_notes", "Guarding of the right arm"),
            ("notes-palpation_notes", "Tender at the lateral epicondyle"),
        ),
    ],
)
def test_it_keeps_both_clinicians_fields(
    web: WebClient,
    alice: User,
    colleague: WebClient,
    assessment: Assessment,
    section: str,
    mine: tuple[str, str],
    theirs: tuple[str, str],
) -> None:
    web.force_login(alice)
    alices_page = open_section(web, assessment, section)
    bobs_page = open_section(colleague, assessment, section)
    assert save(web, assessment, section, {**alices_page, mine[0]: mine[1]}).status_code == 200
    assert (
        save(colleague, assessment, section, {**bobs_page, theirs[0]: theirs[1]}).status_code == 200
    )
    assessment.refresh_from_db()
    stored = {
        "history-goals": assessment.goals,
        "history-mechanism": assessment.mechanism,
        "history-onset": assessment.onset,
        "history-previous_episodes": {True: "true"}.get(assessment.previous_episodes, ""),
        "history-symptom_duration_weeks": str(assessment.symptom_duration_weeks),
        "history-easing": assessment.easing,
        "notes-observation_notes": assessment.observation_notes,
        "notes-palpation_notes": assessment.palpation_notes,
    }
    assert stored[mine[0]] == mine[1]
    assert stored[theirs[0]] == theirs[1]


def test_it_refuses_a_field_a_colleague_changed_and_says_who(
    web: WebClient, alice: User, colleague: WebClient, assessment: Assessment
) -> None:
    web.force_login(alice)
    alices_page = open_section(web, assessment, "history")
    bobs_page = open_section(colleague, assessment, "history")
    save(web, assessment, "history", {**alices_page, "history-goals": "Back to netball"})
    stale = {**bobs_page, "history-goals": "Walk the dog", "history-easing": "Heat"}
    refused = save(colleague, assessment, "history", stale)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "This was changed since the page was opened (last saved by Alice at" in page
    assert "now reads: “Back to netball”" in page
    assessment.refresh_from_db()
    assert (assessment.goals, assessment.easing) == ("Back to netball", "")
    # The form shown again knows what is stored now: saving it again keeps Bob's words.
    again = form_values(
        refused, reverse("save_assessment_section", args=[assessment.pk, "history"])
    )
    assert again["history-goals"] == "Walk the dog"
    assert save(colleague, assessment, "history", again).status_code == 200
    assessment.refresh_from_db()
    assert (assessment.goals, assessment.easing) == ("Walk the dog", "Heat")


def test_it_saves_a_field_both_changed_to_the_same_words(
    web: WebClient, alice: User, colleague: WebClient, assessment: Assessment
) -> None:
    web.force_login(alice)
    alices_page = open_section(web, assessment, "history")
    bobs_page = open_section(colleague, assessment, "history")
    save(web, assessment, "history", {**alices_page, "history-goals": "Back to netball"})
    same = {**bobs_page, "history-goals": "Back to netball", "history-easing": "Heat"}
    assert save(colleague, assessment, "history", same).status_code == 200
    assessment.refresh_from_db()
    assert (assessment.goals, assessment.easing) == ("Back to netball", "Heat")


def test_it_keeps_line_breaks_from_counting_as_changes(
    web: WebClient, alice: User, colleague: WebClient, assessment: Assessment
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(goals="Run\r\nSwim")
    web.force_login(alice)
    alices_page = open_section(web, assessment, "history")
    bobs_page = open_section(colleague, assessment, "history")
    assert alices_page["history-goals"] in {"Run\nSwim", "Run\r\nSwim"}
    save(web, assessment, "history", {**alices_page, "history-goals": "Cycle"})
    browser_sent = {**bobs_page, "history-goals": "Run\r\nSwim", "history-easing": "Heat"}
    assert save(colleague, assessment, "history", browser_sent).status_code == 200
    assessment.refresh_from_db()
    assert (assessment.goals, assessment.easing) == ("Cycle", "Heat")


def test_it_still_saves_a_post_without_the_shown_values(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    web.force_login(alice)
    assert (
        save(web, assessment, "notes", {"notes-observation_notes": "Swelling"}).status_code == 200
    )
    assessment.refresh_from_db()
    assert assessment.observation_notes == "Swelling"

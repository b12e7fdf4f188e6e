"""The first and the latest assessment of an episode, side by side."""

from __future__ import annotations

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.outcomes.services import record_administration
from tests.letters.conftest import movement_of


def test_it_says_when_there_is_nothing_to_compare(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    web.force_login(alice)
    response = web.get(f"/episodes/{plain_assessment.episode_id}/compare/")
    assert response.status_code == 200
    assert "Re-assess the client to compare" in response.content.decode()


def test_it_shows_first_and_latest_side_by_side(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    episode = plain_assessment.episode
    latest = Assessment.objects.create(
        clinic=episode.clinic,
        episode=episode,
        therapist=alice.therapist,
        kind="reassessment",
        started_at=timezone.now(),
    )
    RangeOfMotion.objects.create(
        clinic=episode.clinic,
        assessment=latest,
        movement_id=movement_of(episode.region),
        side="centre",
        degrees=75,
    )
    SpecialTestResult.objects.create(
        clinic=episode.clinic,
        assessment=latest,
        test_id="special-test.straight-leg-raise",
        result="negative",
    )
    BodyChartMark.objects.create(
        clinic=episode.clinic,
        assessment=latest,
        area="lower-back",
        view="back",
        side="centre",
        symptom="ache",
        intensity=2,
        depth="superficial",
    )
    record_administration(episode, "odi", [3] * 10, alice)
    record_administration(episode, "odi", [1] * 10, alice)
    web.force_login(alice)
    response = web.get(f"/episodes/{episode.pk}/compare/")
    page = response.content.decode()
    comparison = response.context["c"]
    assert comparison.comparable
    row = comparison.motion[0]
    assert row.label == "Thoracolumbar flexion"
    assert row.first.degrees == 20 and row.first.deficit.below_normal_by == 60
    assert row.latest.degrees == 75 and row.latest.deficit.below_normal_by == 5
    assert "60° below normal" in page and "5° below normal" in page
    assert "Negative" in page
    assert "Ache at the lower back" in page
    assert "Oswestry Disability Index" in page and "60" in page and "20" in page

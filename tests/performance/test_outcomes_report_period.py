"""The outcomes report reads only series that begin in the period, and counts them as before."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.outcomes.report import cohort
from softtissue.outcomes.services import record_administration
from tests.outcomes.conftest import make_episode


def give(episode: Episode, score: int, days_ago: int) -> None:
    administration = record_administration(episode, "nprs", [score], entered_by=None)
    administration.administered_at = timezone.now() - timedelta(days=days_ago)
    administration.save()


def period(days: int) -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=days), today


def test_it_leaves_out_a_series_that_began_before_the_period(alice: User, clinic_a: Clinic) -> None:
    earlier, inside = make_episode(clinic_a, alice), make_episode(clinic_a, alice)
    give(earlier, 9, 400)  # its baseline is a year ago ...
    give(earlier, 3, 20)  # ... so this later score is not a baseline in the period
    give(inside, 8, 30)
    give(inside, 4, 10)
    [row] = cohort(clinic_a, *period(60))
    assert (row.episodes, row.followed_up, row.median_baseline) == (1, 1, 8.0)


def test_it_follows_a_series_past_the_end_of_the_period(alice: User, clinic_a: Clinic) -> None:
    episode = make_episode(clinic_a, alice)
    give(episode, 8, 50)
    give(episode, 2, 1)  # after the period's end: still the latest score of the series
    start, _ = period(60)
    [row] = cohort(clinic_a, start, timezone.localdate() - timedelta(days=30))
    assert (row.episodes, row.followed_up, row.median_change) == (1, 1, 6.0)


def test_it_leaves_out_a_series_that_begins_after_the_period(alice: User, clinic_a: Clinic) -> None:
    give(make_episode(clinic_a, alice), 8, 5)
    start, today = period(60)
    assert cohort(clinic_a, start, today - timedelta(days=30)) == []


def test_it_answers_in_one_query_however_long_the_history(alice: User, clinic_a: Clinic) -> None:
    for days_ago in range(400, 3000, 100):  # years of old series outside the period
        give(make_episode(clinic_a, alice), 5, days_ago)
    give(make_episode(clinic_a, alice), 7, 10)
    with CaptureQueriesContext(connection) as captured:
        [row] = cohort(clinic_a, *period(60))
    assert row.episodes == 1
    assert len(captured.captured_queries) == 1

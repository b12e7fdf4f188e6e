"""Adherence: sessions done per exercise in the last 7 and 28 days, shown to the therapist."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.rehab.models import PrescribedExercise, Programme
from softtissue.rehab.services import Adherence, adherence, prescribe, record_session

TODAY = date(2026, 11, 27)


def test_it_counts_the_last_7_and_28_days(prescribed: PrescribedExercise) -> None:
    for days_ago in [0, 1, 6, 7, 20, 27, 28, 40]:
        record_session(prescribed, TODAY - timedelta(days=days_ago), done=True)
    record_session(prescribed, TODAY - timedelta(days=2), done=False)
    record_session(prescribed, TODAY + timedelta(days=1), done=True)  # not yet: a clock slip
    assert adherence(prescribed.programme, TODAY) == {prescribed.pk: Adherence(3, 6)}


def test_it_counts_a_day_once(prescribed: PrescribedExercise) -> None:
    for _ in range(3):
        record_session(prescribed, TODAY, done=True)
    assert adherence(prescribed.programme, TODAY)[prescribed.pk] == Adherence(1, 1)


def test_it_counts_each_exercise_apart(
    alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    other = prescribe(episode, alice.therapist, "exercise.wrist-extensor-stretch", 1, "")
    record_session(prescribed, TODAY, done=True)
    assert adherence(Programme.objects.get(), TODAY) == {
        prescribed.pk: Adherence(1, 1),
        other.pk: Adherence(0, 0),
    }


def test_it_shows_adherence_on_the_programme_page(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    today = timezone.localdate()
    for days_ago in [0, 3, 10]:
        record_session(prescribed, today - timedelta(days=days_ago), done=True)
    web.force_login(alice)
    html = web.get(f"/episodes/{episode.pk}/rehab/").content.decode()
    assert "2 in the last 7 days" in html
    assert "3 in the last 28 days" in html

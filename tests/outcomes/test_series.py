"""The per-series summary the outcomes report reads follows every change to what it copies."""

from __future__ import annotations

import importlib
import sys
from datetime import date, timedelta
from pathlib import Path

from django.apps import apps
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.audit.recording import muted
from softtissue.outcomes.models import MeasureAdministration, MeasureSeries
from softtissue.outcomes.report import cohort
from softtissue.outcomes.services import record_administration
from softtissue.privacy.erasure import erase_client
from tests.outcomes.conftest import make_episode

LONG_AFTER = date(2100, 1, 1)


def give(episode: Episode, measure: str, answers: list[int | None], days_ago: int) -> None:
    administration = record_administration(episode, measure, answers, entered_by=None)
    administration.administered_at = timezone.now() - timedelta(days=days_ago)
    administration.save()


def series_of(episode: Episode) -> list[tuple[str, str, float | None, float | None, bool]]:
    return list(
        MeasureSeries.objects.filter(episode=episode)
        .order_by("measure")
        .values_list("measure", "condition", "baseline_score", "latest_score", "followed_up")
    )


def test_it_starts_a_series_at_the_first_scorable_administration(episode: Episode) -> None:
    give(episode, "odi", [None] * 10, 30)  # not scorable: no baseline
    assert series_of(episode) == []
    give(episode, "nprs", [7], 20)
    assert series_of(episode) == [("nprs", "", 7.0, 7.0, False)]
    series = MeasureSeries.objects.get(episode=episode)
    assert series.clinic_id == episode.clinic_id
    assert series.started_at.date() == (timezone.now() - timedelta(days=20)).date()


def test_it_follows_each_new_administration(episode: Episode) -> None:
    give(episode, "nprs", [7], 20)
    give(episode, "nprs", [5], 10)
    give(episode, "nprs", [2], 1)
    assert series_of(episode) == [("nprs", "", 7.0, 2.0, True)]


def test_it_keeps_the_earliest_as_baseline_when_one_is_entered_late(episode: Episode) -> None:
    give(episode, "nprs", [5], 10)
    give(episode, "nprs", [8], 40)  # entered now, given before the first
    assert series_of(episode) == [("nprs", "", 8.0, 5.0, True)]


def test_it_follows_a_deleted_administration(episode: Episode) -> None:
    give(episode, "nprs", [7], 20)
    give(episode, "nprs", [3], 10)
    MeasureAdministration.objects.filter(episode=episode).latest("administered_at").delete()
    assert series_of(episode) == [("nprs", "", 7.0, 7.0, False)]
    MeasureAdministration.objects.get(episode=episode).delete()
    assert series_of(episode) == []


def test_it_follows_the_working_impression(
    web: WebClient, alice: User, episode: Episode, clinic_a: Clinic
) -> None:
    give(episode, "nprs", [7], 20)
    web.force_login(alice)
    response = web.post(
        f"/episodes/{episode.pk}/impression/",
        {"condition": "condition.non-specific-low-back-pain"},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.condition == "condition.non-specific-low-back-pain"
    assert series_of(episode) == [("nprs", episode.condition, 7.0, 7.0, False)]
    today = timezone.localdate()
    [row] = cohort(clinic_a, today - timedelta(days=60), today)
    assert row.condition == "condition.non-specific-low-back-pain"


def test_it_follows_an_impression_saved_in_code(episode: Episode) -> None:
    give(episode, "nprs", [7], 20)
    episode.condition = "condition.sacroiliac-joint-pain"
    episode.save()
    assert series_of(episode)[0][1] == "condition.sacroiliac-joint-pain"
    episode.condition = ""
    episode.save(update_fields=["condition"])
    assert series_of(episode)[0][1] == ""


def test_it_goes_when_the_client_is_erased(
    alice: User, owner: User, clinic_a: Clinic, episode: Episode
) -> None:
    give(episode, "nprs", [7], 20)
    other = make_episode(clinic_a, alice)
    give(other, "nprs", [6], 20)
    erase_client(episode.client_id, clinic_a, owner, "Dana Moss", LONG_AFTER)
    assert not MeasureSeries.objects.filter(episode_id=episode.pk).exists()
    assert MeasureSeries.objects.filter(episode=other).exists()


def test_the_migration_builds_the_same_series(alice: User, clinic_a: Clinic) -> None:
    first, second = make_episode(clinic_a, alice), make_episode(clinic_a, alice)
    second.condition = "condition.sacroiliac-joint-pain"
    second.save()
    give(first, "nprs", [7], 30)
    give(first, "nprs", [4], 5)
    give(first, "odi", [None] * 10, 25)
    give(second, "odi", [3] * 10, 20)
    give(second, "nprs", [2], 40)
    kept = sorted(series_of(first) + series_of(second))
    with muted():  # as the series are never deleted on their own outside refresh_series
        MeasureSeries.objects.all().delete()
    migration = importlib.import_module("softtissue.outcomes.migrations.0003_measureseries")
    migration.backfill(apps, None)
    assert sorted(series_of(first) + series_of(second)) == kept
    assert len(kept) == 3


def test_the_synthetic_clinic_has_the_series_the_migration_would_build(db: None) -> None:
    bench = Path(__file__).resolve().parents[2] / "bench"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    synthetic = importlib.import_module("synthetic")
    built = synthetic.build_clinic(12, seed=5, batch=5)
    columns = ("episode_id", "measure", "condition", "started_at", "baseline_score")
    columns += ("latest_score", "followed_up")
    generated = sorted(
        MeasureSeries.objects.filter(clinic_id=built.clinic_id).values_list(*columns)
    )
    with muted():
        MeasureSeries.objects.all().delete()
    importlib.import_module("softtissue.outcomes.migrations.0003_measureseries").backfill(
        apps, None
    )
    assert generated
    assert generated == sorted(MeasureSeries.objects.values_list(*columns))

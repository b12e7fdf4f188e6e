"""The clinic outcomes report: medians and the share reaching the MCID, as a page and CSV."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.outcomes.services import record_administration
from tests.outcomes.conftest import make_episode


def give(episode: Episode, score: int, days_ago: int) -> None:
    administration = record_administration(episode, "nprs", [score], entered_by=None)
    administration.administered_at = timezone.now() - timedelta(days=days_ago)
    administration.save()


def test_it_summarises_the_cohort(
    web: WebClient, alice: User, clinic_a: Clinic, clinic_b: Clinic
) -> None:
    first, second, third = (make_episode(clinic_a, alice) for _ in range(3))
    give(first, 8, 40)
    give(first, 2, 10)  # improved by 6: important (2 points and 30%)
    give(second, 6, 30)
    give(second, 5, 5)  # improved by 1: not important
    give(third, 7, 20)  # baseline only
    outsider = make_episode(clinic_b)
    give(outsider, 9, 30)
    give(outsider, 1, 3)
    web.force_login(alice)
    today = timezone.localdate()
    query = {"start": str(today - timedelta(days=60)), "end": str(today)}
    page = web.get("/outcomes/", query).content.decode()
    assert "<td>3</td><td>2</td>" in page  # three episodes, two followed up
    assert "<td>7.0</td><td>3.5</td>" in page  # median baseline 7, median change (6+1)/2
    assert "1 (50%)" in page
    csv = web.get("/outcomes/", {**query, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith('"measure","condition","condition_id","episodes"')
    assert lines[1] == '"nprs","not recorded","","3","2","7.00","3.50","1","0.500"'
    assert len(lines) == 2  # the other clinic's episode is not counted


def test_it_groups_by_the_recorded_working_impression(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    unrecorded, back_pain = make_episode(clinic_a, alice), make_episode(clinic_a, alice)
    back_pain.condition = "condition.non-specific-low-back-pain"
    back_pain.save()
    for episode in (unrecorded, back_pain):
        give(episode, 6, 20)
        give(episode, 2, 2)
    web.force_login(alice)
    today = timezone.localdate()
    query = {"start": str(today - timedelta(days=60)), "end": str(today), "format": "csv"}
    lines = web.get("/outcomes/", query).content.decode().replace('"', "").splitlines()[1:]
    assert [line.split(",")[1:4] for line in lines] == [
        ["not recorded", "", "1"],
        ["Non-specific low back pain", "condition.non-specific-low-back-pain", "1"],
    ]


def test_it_refuses_a_period_that_ends_before_it_starts(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get("/outcomes/", {"start": "2026-06-01", "end": "2026-01-01"})
    assert "The end of the period is before its start." in response.content.decode()


def test_it_is_not_for_reception(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    assert web.get("/outcomes/").status_code == 403

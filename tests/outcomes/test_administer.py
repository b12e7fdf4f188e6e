"""Giving a measure in an episode: scored by the core, shown with its band and change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.outcomes.models import MeasureAdministration

ODI_ONE_MISSING = ["2", "1", "3", "", "1", "2", "1", "2", "2", "2"]  # 16 of 45 -> 35.56 %


def odi_form(values: list[str]) -> dict[str, str]:
    return {f"item_{number}": value for number, value in enumerate(values, start=1)}


def test_it_scores_an_odi_as_published(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    response = web.post(f"/episodes/{episode.pk}/measures/odi/new/", odi_form(ODI_ONE_MISSING))
    assert response.status_code == 302
    saved = MeasureAdministration.objects.get(episode=episode)
    assert saved.score == pytest.approx(35.5555, abs=1e-3)
    assert saved.band == "moderate disability"
    assert saved.answers == [2, 1, 3, None, 1, 2, 1, 2, 2, 2]
    assert saved.entered_by == alice and not saved.client_reported
    page = web.get(f"/episodes/{episode.pk}/measures/").content.decode()
    assert "35.6" in page and "moderate disability" in page


def test_it_keeps_an_unscorable_form_with_the_reason(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    values = ["2", "1", "", "", "1", "2", "1", "2", "2", "2"]
    web.post(f"/episodes/{episode.pk}/measures/odi/new/", odi_form(values))
    saved = MeasureAdministration.objects.get(episode=episode)
    assert saved.score is None and not saved.scorable
    assert "2 of 10" in saved.reason
    assert "not scorable" in web.get(f"/episodes/{episode.pk}/measures/").content.decode()


def test_it_refuses_an_answer_outside_the_item_values(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    values = ["9", *ODI_ONE_MISSING[1:]]
    response = web.post(f"/episodes/{episode.pk}/measures/odi/new/", odi_form(values))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MeasureAdministration.objects.exists()


def test_it_judges_change_since_baseline(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    web.post(f"/episodes/{episode.pk}/measures/nprs/new/", {"item_1": "8"})
    baseline = MeasureAdministration.objects.get()
    baseline.administered_at = timezone.now() - timedelta(days=28)
    baseline.save()
    web.post(f"/episodes/{episode.pk}/measures/nprs/new/", {"item_1": "3"})
    page = web.get(f"/episodes/{episode.pk}/measures/").content.decode()
    assert "5.0 points of improvement" in page
    assert "clinically important" in page
    assert "NPRS" in page


def test_it_draws_the_progress_chart_with_the_mcid(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    web.post(f"/episodes/{episode.pk}/measures/odi/new/", odi_form(ODI_ONE_MISSING))
    response = web.get(f"/episodes/{episode.pk}/measures/odi/chart.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Important change (MCID 10" in svg


def test_it_has_no_chart_for_a_measure_not_given(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    assert web.get(f"/episodes/{episode.pk}/measures/odi/chart.svg").status_code == 404


def test_it_sends_the_chosen_measure_to_its_form(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    response = web.get(f"/episodes/{episode.pk}/measures/choose/", {"measure": "ndi"})
    assert response["Location"] == f"/episodes/{episode.pk}/measures/ndi/new/"
    response = web.get(f"/episodes/{episode.pk}/measures/choose/", {"measure": "nonsense"})
    assert response["Location"] == f"/episodes/{episode.pk}/measures/"


@pytest.mark.parametrize(
    "path",
    [
        "/episodes/{pk}/measures/",
        "/episodes/{pk}/measures/odi/new/",
        "/episodes/{pk}/measures/choose/?measure=odi",
    ],
)
def test_it_refuses_another_clinic_and_reception(
    web: WebClient, episode: Episode, charlie: User, reception: User, path: str
) -> None:
    web.force_login(charlie)
    assert web.get(path.format(pk=episode.pk)).status_code == 404
    web.force_login(reception)
    assert web.get(path.format(pk=episode.pk)).status_code == 403


def test_it_refuses_an_unknown_measure(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    assert web.get(f"/episodes/{episode.pk}/measures/made_up/new/").status_code == 404


def test_it_keeps_the_query_count_flat(
    web: WebClient, alice: User, episode: Episode, django_assert_max_num_queries: object
) -> None:
    web.force_login(alice)
    for score in ("8", "6", "5", "3"):
        web.post(f"/episodes/{episode.pk}/measures/nprs/new/", {"item_1": score})
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert web.get(f"/episodes/{episode.pk}/measures/").status_code == 200

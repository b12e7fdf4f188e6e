"""Every episode and assessment page: visitors log in, other clinics get 404, reception 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, BodyChartMark, Episode

Route = tuple[str, str, Callable[[Assessment, BodyChartMark], list[object]]]

ROUTES: list[Route] = [
    ("open_episode", "get", lambda a, m: [a.episode.client_id]),
    ("open_episode", "post", lambda a, m: [a.episode.client_id]),
    ("episode_detail", "get", lambda a, m: [a.episode_id]),
    ("discharge_episode", "post", lambda a, m: [a.episode_id]),
    ("start_assessment", "post", lambda a, m: [a.episode_id]),
    ("assessment_detail", "get", lambda a, m: [a.pk]),
    ("assessment_reasoning", "get", lambda a, m: [a.pk]),
    ("save_assessment_section", "post", lambda a, m: [a.pk, "history"]),
    ("save_assessment_section", "post", lambda a, m: [a.pk, "chart"]),
    ("delete_mark", "post", lambda a, m: [a.pk, m.pk]),
]
IDS = [f"{name}-{method}" for name, method, _ in ROUTES]
POST_DATA = {
    "presenting_problem": "Changed by an outsider",
    "region": "region.knee",
    "reason": "Outsider",
    "history-mechanism": "Outsider",
    "mark-area": "knee",
    "mark-view": "front",
    "mark-side": "left",
    "mark-symptom": "pain",
    "mark-intensity": "3",
    "mark-depth": "deep",
}


@pytest.fixture
def mark(assessment: Assessment) -> BodyChartMark:
    return BodyChartMark.objects.create(
        clinic=assessment.clinic,
        assessment=assessment,
        area="elbow",
        view="front",
        side="right",
        symptom="pain",
        intensity=5,
        depth="deep",
    )


def call(web: WebClient, route: Route, assessment: Assessment, mark: BodyChartMark) -> int:
    name, method, args = route
    url = reverse(name, args=args(assessment, mark))
    response = web.post(url, POST_DATA) if method == "post" else web.get(url)
    return response.status_code


def assert_untouched(assessment: Assessment) -> None:
    episode = Episode.objects.get(pk=assessment.episode_id)
    assert episode.discharged_at is None
    assert Episode.objects.count() == 1
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get(pk=assessment.pk).mechanism == ""
    assert BodyChartMark.objects.count() == 1


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_it_sends_a_visitor_to_log_in(
    web: WebClient, route: Route, assessment: Assessment, mark: BodyChartMark
) -> None:
    name, method, args = route
    url = reverse(name, args=args(assessment, mark))
    response = web.post(url, POST_DATA) if method == "post" else web.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert_untouched(assessment)


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_it_hides_another_clinics_records(
    web: WebClient, route: Route, assessment: Assessment, mark: BodyChartMark, charlie: User
) -> None:
    web.force_login(charlie)
    assert call(web, route, assessment, mark) == 404
    assert_untouched(assessment)


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_it_refuses_reception(
    web: WebClient, route: Route, assessment: Assessment, mark: BodyChartMark, reception: User
) -> None:
    web.force_login(reception)
    assert call(web, route, assessment, mark) == 403
    assert_untouched(assessment)


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_it_serves_a_therapist_of_the_clinic(
    web: WebClient, route: Route, assessment: Assessment, mark: BodyChartMark, bob: User
) -> None:
    web.force_login(bob)
    assert call(web, route, assessment, mark) in {200, 302}

"""API operations for outcome measures: definitions, scoring, recording and listing."""

from __future__ import annotations

import json

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.outcomes.models import MeasureAdministration


def post_json(web: WebClient, path: str, body: object) -> object:
    return web.post(path, json.dumps(body), content_type="application/json")


def test_it_lists_the_measures(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    measures = web.get("/api/v1/measures").json()
    by_id = {m["id"]: m for m in measures}
    assert len(by_id) == 19
    assert by_id["odi"]["mcid"] == 10 and by_id["odi"]["reproduce_items"] is False


def test_it_scores_without_saving(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = post_json(
        web, "/api/v1/measures/odi/score", {"answers": [2, 1, 3, None, 1, 2, 1, 2, 2, 2]}
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["band"] == "moderate disability"  # type: ignore[attr-defined]
    assert not MeasureAdministration.objects.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [([1, 2], "expected 10 answers"), ([9] * 10, "item 1 must be one of 0 to 5")],
)
def test_it_refuses_bad_answers(
    web: WebClient, alice: User, answers: list[int], message: str
) -> None:
    web.force_login(alice)
    response = post_json(web, "/api/v1/measures/odi/score", {"answers": answers})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.json()["detail"]  # type: ignore[attr-defined]


def test_it_records_and_lists_administrations(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    created = post_json(
        web, f"/api/v1/episodes/{episode.pk}/measures", {"measure": "nprs", "answers": [7]}
    )
    assert created.status_code == 201  # type: ignore[attr-defined]
    assert created.json()["score"] == 7.0  # type: ignore[attr-defined]
    listed = web.get(f"/api/v1/episodes/{episode.pk}/measures").json()
    assert listed["count"] == 1 and listed["items"][0]["measure"] == "nprs"


def test_it_bounds_the_page_size(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    assert web.get(f"/api/v1/episodes/{episode.pk}/measures?limit=100000").status_code == 422


def test_it_refuses_visitors_outsiders_and_reception(
    web: WebClient, episode: Episode, charlie: User, reception: User
) -> None:
    path = f"/api/v1/episodes/{episode.pk}/measures"
    assert web.get(path).status_code == 401
    assert web.get("/api/v1/measures").status_code == 401
    web.force_login(charlie)
    assert web.get(path).status_code == 404
    assert post_json(web, path, {"measure": "nprs", "answers": [3]}).status_code == 404  # type: ignore[attr-defined]
    web.force_login(reception)
    assert web.get(path).status_code == 403
    assert web.get("/api/v1/measures").status_code == 403
    assert not MeasureAdministration.objects.exists()


def test_it_refuses_an_unknown_measure(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    response = post_json(
        web, f"/api/v1/episodes/{episode.pk}/measures", {"measure": "xyz", "answers": [1]}
    )
    assert response.status_code == 404  # type: ignore[attr-defined]

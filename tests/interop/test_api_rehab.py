"""API for rehab programmes: built from the knowledge base's exercises, with adherence."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.rehab.catalogue import exercises
from softtissue.rehab.models import PrescribedExercise, Programme
from softtissue.rehab.services import record_session
from tests.interop.api_helpers import assert_error, bearer
from tests.rehab.conftest import make_episode

ISOMETRIC = "exercise.isometric-wrist-extension"


def send(web: WebClient, method: str, path: str, body: object = None, **headers: str) -> Any:
    """A JSON request to the API; the response."""
    data = "" if body is None else json.dumps(body)
    return web.generic(
        method.upper(), f"/api/v1{path}", data, content_type="application/json", **headers
    )


@pytest.fixture
def episode(alice: User, clinic_a: Clinic) -> Episode:
    return make_episode(clinic_a, alice)


@pytest.fixture
def programme(web: WebClient, episode: Episode, alice: User) -> dict[str, Any]:
    web.force_login(alice)
    body = {
        "notes": "Little and often.",
        "exercises": [
            {"exercise": ISOMETRIC, "phase": 1, "dosage": "5 x 45 s holds, twice daily"},
            {"exercise": "exercise.eccentric-wrist-extension", "phase": 2},
        ],
    }
    response = send(web, "post", f"/episodes/{episode.pk}/programmes", body)
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_it_builds_a_programme_from_the_knowledge_base(
    web: WebClient, programme: dict[str, Any], episode: Episode, alice: User
) -> None:
    first, second = programme["exercises"]
    assert programme["notes"] == "Little and often."
    assert programme["therapist_id"] == alice.therapist.pk
    assert (first["exercise"], first["phase"], first["order"]) == (ISOMETRIC, 1, 0)
    assert first["dosage"] == "5 x 45 s holds, twice daily"
    assert first["name"] == exercises()[ISOMETRIC].name
    # No dosage given: the knowledge base's usual dosage, as on the web builder.
    assert second["dosage"] == exercises()["exercise.eccentric-wrist-extension"].dosage
    assert (second["phase"], second["order"]) == (2, 1)
    assert web.get(f"/api/v1/programmes/{programme['id']}").json() == programme
    listed = web.get(f"/api/v1/episodes/{episode.pk}/programmes").json()
    assert listed == {"count": 1, "items": [programme]}


def test_it_adds_an_exercise_at_the_end(web: WebClient, programme: dict[str, Any]) -> None:
    added = send(
        web,
        "post",
        f"/programmes/{programme['id']}/exercises",
        {"exercise": "exercise.wrist-extensor-stretch", "phase": 1},
    )
    assert added.status_code == 201
    assert added.json()["order"] == 2
    assert PrescribedExercise.objects.count() == 3


def test_it_refuses_a_second_programme_for_the_episode(
    web: WebClient, programme: dict[str, Any], episode: Episode
) -> None:
    body = {"exercises": [{"exercise": ISOMETRIC}]}
    response = send(web, "post", f"/episodes/{episode.pk}/programmes", body)
    assert_error(response, 409)
    assert f"already has programme {programme['id']}" in response.json()["detail"]
    assert PrescribedExercise.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        (
            {"exercises": [{"exercise": ISOMETRIC}, {"exercise": "exercise.handstand"}]},
            ["body", "exercises", 1, "exercise"],
            "'exercise.handstand' is not an exercise in the knowledge base",
        ),
        (
            {"exercises": [{"exercise": ISOMETRIC, "sets": 3}]},
            ["body", "exercises", 0, "sets"],
            "Extra inputs are not permitted",
        ),
        (
            {"exercises": [{"exercise": ISOMETRIC, "phase": 12}]},
            ["body", "exercises", 0, "phase"],
            "less than or equal to 9",
        ),
        (
            {"exercises": [{"exercise": ISOMETRIC, "phase": "first"}]},
            ["body", "exercises", 0, "phase"],
            "valid integer",
        ),
        ({"exercises": []}, ["body", "exercises"], "at least 1 item"),
    ],
)
def test_it_refuses_a_bad_programme_and_keeps_nothing(
    web: WebClient,
    episode: Episode,
    alice: User,
    body: dict[str, Any],
    loc: list[str | int],
    message: str,
) -> None:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{episode.pk}/programmes", body)
    assert_error(response, 422)
    errors = response.json()["errors"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors
    assert not Programme.objects.exists() and not PrescribedExercise.objects.exists()


def test_it_refuses_an_unknown_exercise_added_later(
    web: WebClient, programme: dict[str, Any]
) -> None:
    path = f"/programmes/{programme['id']}/exercises"
    response = send(web, "post", path, {"exercise": "exercise.handstand"})
    assert_error(response, 422)
    assert "not an exercise in the knowledge base" in response.json()["detail"]
    assert PrescribedExercise.objects.count() == 2


def test_it_summarises_adherence(web: WebClient, programme: dict[str, Any]) -> None:
    today = timezone.localdate()
    first, second = PrescribedExercise.objects.order_by("order")
    for days_ago in (0, 1, 10, 40):
        record_session(first, today - timedelta(days=days_ago), True)
    record_session(second, today, False)
    summary = web.get(f"/api/v1/programmes/{programme['id']}/adherence").json()
    assert summary["today"] == today.isoformat()
    assert summary["exercises"] == [
        {"id": first.pk, "exercise": ISOMETRIC, "last_7": 2, "last_28": 3},
        {"id": second.pk, "exercise": second.exercise, "last_7": 0, "last_28": 0},
    ]


def test_it_hides_another_clinics_programmes(
    web: WebClient, programme: dict[str, Any], episode: Episode, charlie: User
) -> None:
    web.force_login(charlie)
    for method, path, body in [
        ("get", f"/episodes/{episode.pk}/programmes", None),
        ("post", f"/episodes/{episode.pk}/programmes", {"exercises": [{"exercise": ISOMETRIC}]}),
        ("get", f"/programmes/{programme['id']}", None),
        ("post", f"/programmes/{programme['id']}/exercises", {"exercise": ISOMETRIC}),
        ("get", f"/programmes/{programme['id']}/adherence", None),
    ]:
        assert_error(send(web, method, path, body), 404)
    assert PrescribedExercise.objects.count() == 2


def test_it_refuses_reception(
    web: WebClient, programme: dict[str, Any], episode: Episode, reception: User
) -> None:
    web.force_login(reception)
    for method, path, body in [
        ("get", f"/episodes/{episode.pk}/programmes", None),
        ("get", f"/programmes/{programme['id']}", None),
        ("post", f"/programmes/{programme['id']}/exercises", {"exercise": ISOMETRIC}),
        ("get", f"/programmes/{programme['id']}/adherence", None),
    ]:
        assert_error(send(web, method, path, body), 403)
    assert PrescribedExercise.objects.count() == 2


def test_it_refuses_writes_with_a_read_only_token(
    web: WebClient, programme: dict[str, Any], episode: Episode, alice: User
) -> None:
    read_only = bearer(alice, read_only=True)
    path = f"/programmes/{programme['id']}"
    assert send(web, "get", path, **read_only).json() == programme
    added = send(web, "post", f"{path}/exercises", {"exercise": ISOMETRIC}, **read_only)
    assert_error(added, 403)
    assert PrescribedExercise.objects.count() == 2

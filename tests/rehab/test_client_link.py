"""The client's read-only link: created, followed, ticked, expired; unknown tokens refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.rehab.models import AdherenceLog, PrescribedExercise, ProgrammeLink
from softtissue.tokens import token_hash


def make_link(web: WebClient, episode: Episode) -> str:
    response = web.post(f"/episodes/{episode.pk}/rehab/link/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("http://testserver/exercises/")
    return html[start : html.index('"', start)].removeprefix("http://testserver")


@pytest.fixture
def link(web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise) -> str:
    web.force_login(alice)
    url = make_link(web, episode)
    web.logout()
    return url


def test_it_keeps_only_a_hash_and_expires_in_28_days(link: str) -> None:
    token = link.strip("/").split("/")[-1]
    stored = ProgrammeLink.objects.get()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(days=28)


def test_it_follows_the_setting(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SOFTTISSUE_REHAB_LINK_DAYS = 3
    web.force_login(alice)
    make_link(web, episode)
    stored = ProgrammeLink.objects.get()
    assert stored.expires_at - stored.created_at == timedelta(days=3)


def test_it_refuses_a_link_without_a_programme(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    assert web.post(f"/episodes/{episode.pk}/rehab/link/").status_code == 404
    assert not ProgrammeLink.objects.exists()


def test_it_shows_the_programme_with_the_first_name_only(web: WebClient, link: str) -> None:
    response = web.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your exercises, Dana" in html
    assert "Isometric wrist extension" in html
    for private in ["Moss", "1980", "decorating", "tendinopathy", "Tennis"]:
        assert private not in html, private
    assert response["X-Frame-Options"] == "DENY"


def test_it_ticks_a_session_once_per_day(
    web: WebClient, link: str, prescribed: PrescribedExercise
) -> None:
    for _ in range(2):
        response = web.post(link, {"exercise": prescribed.pk, "done": "yes"})
        assert response.status_code == 302
    log = AdherenceLog.objects.get()
    assert (log.prescribed, log.day, log.done, log.clinic_id) == (
        prescribed,
        timezone.localdate(),
        True,
        prescribed.clinic_id,
    )
    assert "Done today" in web.get(link).content.decode()


def test_it_undoes_a_tick(web: WebClient, link: str, prescribed: PrescribedExercise) -> None:
    web.post(link, {"exercise": prescribed.pk, "done": "yes"})
    web.post(link, {"exercise": prescribed.pk, "done": "no"})
    assert AdherenceLog.objects.get().done is False


@pytest.mark.parametrize("exercise", ["", "abc", "99999"])
def test_it_refuses_an_exercise_not_in_the_programme(
    web: WebClient, link: str, exercise: str
) -> None:
    assert web.post(link, {"exercise": exercise, "done": "yes"}).status_code == 400
    assert not AdherenceLog.objects.exists()


def test_it_refuses_another_programmes_exercise(
    web: WebClient, link: str, alice: User, charlie: User
) -> None:
    from softtissue.rehab.services import prescribe
    from tests.rehab.conftest import make_episode

    other = prescribe(
        make_episode(charlie.membership.clinic, charlie), None, "exercise.chin-tuck", 1, ""
    )
    assert web.post(link, {"exercise": other.pk, "done": "yes"}).status_code == 400
    assert not AdherenceLog.objects.exists()


def test_it_answers_410_when_expired_and_saves_nothing(
    web: WebClient, link: str, prescribed: PrescribedExercise
) -> None:
    ProgrammeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert web.get(link).status_code == 410
    response = web.post(link, {"exercise": prescribed.pk, "done": "yes"})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not AdherenceLog.objects.exists()


def test_it_answers_404_to_an_unknown_token(
    web: WebClient, link: str, prescribed: PrescribedExercise
) -> None:
    assert web.get("/exercises/not-a-real-token/").status_code == 404
    response = web.post("/exercises/not-a-real-token/", {"exercise": prescribed.pk, "done": "yes"})
    assert response.status_code == 404
    assert not AdherenceLog.objects.exists()


def test_it_stops_showing_a_removed_exercise(
    web: WebClient, link: str, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    web.post(f"/episodes/{episode.pk}/rehab/exercises/{prescribed.pk}/remove/")
    web.logout()
    assert "Isometric wrist extension" not in web.get(link).content.decode()


def test_it_answers_only_get_and_post(web: WebClient, link: str) -> None:
    assert web.put(link).status_code == 405

"""Every rehab page: visitors log in, reception is refused, another clinic gets 404."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.rehab.models import PrescribedExercise

GETS = ["programme_detail", "programme_pdf"]
POSTS = ["add_exercise", "save_programme_notes", "create_programme_link"]
ROW_POSTS = ["change_exercise", "move_exercise", "remove_exercise"]


def urls(episode: Episode, prescribed: PrescribedExercise) -> list[tuple[str, str]]:
    base = f"/episodes/{episode.pk}/rehab/"
    row = f"{base}exercises/{prescribed.pk}/"
    return [
        ("get", base),
        ("get", f"{base}home-programme.pdf"),
        ("post", f"{base}add/"),
        ("post", f"{base}notes/"),
        ("post", f"{base}link/"),
        ("post", row),
        ("post", f"{row}move/"),
        ("post", f"{row}remove/"),
    ]


def test_it_sends_a_visitor_to_log_in(
    web: WebClient, episode: Episode, prescribed: PrescribedExercise
) -> None:
    for method, url in urls(episode, prescribed):
        response = getattr(web, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


def test_it_refuses_reception(
    web: WebClient, reception: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(reception)
    for method, url in urls(episode, prescribed):
        assert getattr(web, method)(url).status_code == 403, url


def test_it_hides_another_clinics_programme(
    web: WebClient, charlie: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(charlie)
    for method, url in urls(episode, prescribed):
        assert (
            getattr(web, method)(url, {"exercise": "exercise.chin-tuck", "phase": "1"}).status_code
            == 404
        ), url
    assert PrescribedExercise.objects.count() == 1


@pytest.mark.parametrize("role", ["alice", "bob", "owner"])
def test_it_lets_clinicians_of_the_clinic_in(
    web: WebClient,
    request: pytest.FixtureRequest,
    role: str,
    episode: Episode,
    prescribed: PrescribedExercise,
) -> None:
    web.force_login(request.getfixturevalue(role))
    assert web.get(f"/episodes/{episode.pk}/rehab/").status_code == 200


def test_it_refuses_a_row_of_another_episode(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    from tests.rehab.conftest import make_episode

    other = make_episode(episode.clinic, alice)
    web.force_login(alice)
    response = web.post(f"/episodes/{other.pk}/rehab/exercises/{prescribed.pk}/remove/")
    assert response.status_code == 404
    assert PrescribedExercise.objects.filter(pk=prescribed.pk).exists()


def test_it_links_the_episode_page_to_the_programme(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    page = web.get(f"/episodes/{episode.pk}/").content.decode()
    assert f'href="/episodes/{episode.pk}/rehab/"' in page
    assert "1 exercise prescribed" in page

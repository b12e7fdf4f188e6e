"""The tablet link: one questionnaire, once, until it expires; nothing saved otherwise."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.outcomes.models import MeasureAdministration, QuestionnaireLink


def make_link(web: WebClient, alice: User, episode: Episode, measure: str = "nprs") -> str:
    web.force_login(alice)
    page = web.post(f"/episodes/{episode.pk}/measures/{measure}/link/").content.decode()
    found = re.search(r'href="http://testserver(/questionnaire/[^"]+/)"', page)
    assert found is not None
    web.logout()
    return found.group(1)


def test_it_lets_the_client_answer_once(web: WebClient, alice: User, episode: Episode) -> None:
    path = make_link(web, alice, episode)
    page = web.get(path).content.decode()
    assert "Numeric Pain Rating Scale" in page or "NPRS" in page
    assert "Dana" not in page and "Moss" not in page  # nothing about the client on the page
    assert 'class="nav"' not in page
    assert web.post(path, {"item_1": "6"}).status_code == 200
    saved = MeasureAdministration.objects.get()
    assert (saved.score, saved.client_reported, saved.entered_by) == (6.0, True, None)
    again = web.post(path, {"item_1": "2"})
    assert again.status_code == 410
    assert MeasureAdministration.objects.count() == 1


def test_it_stores_only_a_hash_of_the_token(web: WebClient, alice: User, episode: Episode) -> None:
    path = make_link(web, alice, episode)
    token = path.split("/")[2]
    link = QuestionnaireLink.objects.get()
    assert token not in link.token_hash and len(link.token_hash) == 64


def test_it_refuses_an_expired_link(web: WebClient, alice: User, episode: Episode) -> None:
    path = make_link(web, alice, episode)
    QuestionnaireLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = web.post(path, {"item_1": "6"})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not MeasureAdministration.objects.exists()


def test_it_does_not_know_a_made_up_token(web: WebClient, db: None) -> None:
    assert web.get("/questionnaire/not-a-real-token/").status_code == 404


def test_it_shows_item_numbers_for_licensed_wording(
    web: WebClient, alice: User, episode: Episode
) -> None:
    path = make_link(web, alice, episode, "odi")
    page = web.get(path).content.decode()
    assert "paper form" in page
    assert "Item 1 (pain intensity)" in page


def test_it_refuses_another_clinics_episode(
    web: WebClient, charlie: User, episode: Episode
) -> None:
    web.force_login(charlie)
    assert web.post(f"/episodes/{episode.pk}/measures/nprs/link/").status_code == 404
    assert not QuestionnaireLink.objects.exists()

"""Letters and the comparison are clinical: reception is refused, other clinics get 404."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment
from softtissue.letters.models import Letter
from tests.letters.test_it_writes_referral_letters import posted, referral_url


@pytest.fixture
def letter(web: WebClient, alice: User, assessment: Assessment) -> Letter:
    web.force_login(alice)
    web.post(referral_url(assessment.episode), posted())
    web.logout()
    return Letter.objects.get()


def pages(letter: Letter) -> list[str]:
    episode = letter.episode_id
    return [
        f"/episodes/{episode}/letters/new/?kind=referral",
        f"/letters/{letter.pk}/",
        f"/letters/{letter.pk}/pdf/",
        f"/episodes/{episode}/compare/",
    ]


def test_it_sends_a_visitor_to_log_in(web: WebClient, letter: Letter) -> None:
    for page in pages(letter):
        response = web.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/login/?next="), page


def test_it_refuses_reception(web: WebClient, reception: User, letter: Letter) -> None:
    web.force_login(reception)
    for page in pages(letter):
        assert web.get(page).status_code == 403, page
    assert web.post(pages(letter)[0], posted()).status_code == 403
    assert Letter.objects.count() == 1


def test_it_hides_letters_from_another_clinic(
    web: WebClient, charlie: User, letter: Letter
) -> None:
    web.force_login(charlie)
    for page in pages(letter):
        assert web.get(page).status_code == 404, page
    assert web.post(pages(letter)[0], posted()).status_code == 404
    assert Letter.objects.count() == 1


def test_it_lets_a_colleague_read_the_letter(web: WebClient, bob: User, letter: Letter) -> None:
    web.force_login(bob)
    for page in pages(letter):
        assert web.get(page).status_code == 200, page


def test_it_lists_letters_on_the_episode_page(web: WebClient, alice: User, letter: Letter) -> None:
    web.force_login(alice)
    page = web.get(f"/episodes/{letter.episode_id}/").content.decode()
    assert f'href="/letters/{letter.pk}/"' in page
    assert "?kind=clearance" in page
    assert f"/episodes/{letter.episode_id}/compare/" in page

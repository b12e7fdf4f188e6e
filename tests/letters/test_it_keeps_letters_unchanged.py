"""A letter once kept is never changed or deleted."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment
from softtissue.letters.models import Letter, LetterImmutableError
from tests.letters.test_it_writes_referral_letters import posted, referral_url


@pytest.fixture
def letter(web: WebClient, alice: User, assessment: Assessment) -> Letter:
    web.force_login(alice)
    web.post(referral_url(assessment.episode), posted())
    return Letter.objects.get()


def test_it_refuses_to_save_a_kept_letter_again(letter: Letter) -> None:
    letter.reason = "Changed afterwards"
    with pytest.raises(LetterImmutableError):
        letter.save()
    assert Letter.objects.get().reason == "Saddle numbness reported today."


def test_it_refuses_to_delete_a_kept_letter(letter: Letter) -> None:
    with pytest.raises(LetterImmutableError):
        letter.delete()
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_it_keeps_the_hash_of_the_pdf(letter: Letter) -> None:
    assert letter.pdf_sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()


def test_it_writes_a_new_letter_rather_than_changing_one(
    web: WebClient, letter: Letter, assessment: Assessment
) -> None:
    web.post(referral_url(assessment.episode), posted(reason="Second letter"))
    assert Letter.objects.count() == 2
    assert Letter.objects.get(pk=letter.pk).reason == "Saddle numbness reported today."


def test_it_keeps_the_episode_of_a_letter(letter: Letter) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        letter.episode.delete()

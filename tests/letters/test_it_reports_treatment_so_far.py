"""Signed SOAP notes of the episode become "treatment so far and response"; drafts do not."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment
from softtissue.letters.drafts import signed_note_model
from tests.letters.test_it_writes_referral_letters import referral_url


def test_it_lists_signed_notes_with_techniques_and_response(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    note_model = signed_note_model()
    if note_model is None:
        pytest.skip("the treatments app is not installed")
    episode = plain_assessment.episode
    common = {"clinic": episode.clinic, "episode": episode, "therapist": alice.therapist}
    note_model.objects.create(
        **common,
        techniques=[
            {"technique": "technique.effleurage", "region": episode.region, "dosage": "10"}
        ],
        response="Pain eased from 6 to 3.",
        advice="Walk daily.",
        status="signed",
        signed_at=timezone.now(),
    )
    note_model.objects.create(**common, response="Draft only, not sent.", status="draft")
    web.force_login(alice)
    initial = web.get(referral_url(episode)).context["form"].initial
    assert "Pain eased from 6 to 3." in initial["treatment"]
    assert "techniques: Effleurage" in initial["treatment"]
    assert "Draft only" not in initial["treatment"]

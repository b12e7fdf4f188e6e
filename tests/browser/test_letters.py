"""A therapist writes a referral letter for saddle numbness and downloads its PDF."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client, Consent
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "letters-browser-test"


def saddle_numbness_episode() -> Episode:
    """A Level 5 therapist's client who reported saddle numbness, with consent to share."""
    clinic = Clinic.objects.create(name="Harbour Clinic")
    user = User.objects.create_user("sam@harbour.example", PASSWORD, first_name="Sam")
    Membership.objects.create(user=user, clinic=clinic, role="therapist")
    therapist = Therapist.objects.create(
        user=user, clinic=clinic, professional_body="ISRM", membership_number="ISRM-123"
    )
    Qualification.objects.create(therapist=therapist, knowledge_id="qualification.stt-l5")
    client = Client.objects.create(
        clinic=clinic,
        first_name="Dana",
        last_name="Price",
        date_of_birth=date(1975, 6, 2),
        gp_name="Dr Lee",
    )
    for kind in (Consent.Kind.ASSESSMENT_TREATMENT, Consent.Kind.SHARE_WITH_GP):
        Consent.objects.create(
            clinic=clinic,
            client=client,
            kind=kind,
            method=Consent.Method.IN_PERSON,
            signed_name=client.full_name,
            recorded_at=timezone.now(),
        )
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=therapist,
        presenting_problem="Low back pain with numbness",
        region="region.lumbar-pelvis",
    )
    Assessment.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist,
        onset="sudden",
        findings={"saddle_anaesthesia": True},
    )
    return episode


def test_it_writes_a_referral_letter_and_downloads_the_pdf(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    episode = saddle_numbness_episode()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("sam@harbour.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")

    page.goto(f"{base}/episodes/{episode.pk}/")
    page.get_by_role("link", name="Write a referral letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral letter")
    expect(page.get_by_label("Reason for referral")).to_have_value(re.compile("cauda equina"))
    expect(page.get_by_label("Recipient:", exact=True)).to_have_value("emergency")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("What is asked of the recipient").fill("Please assess Dana today.")
    page.get_by_role("button", name="Write and keep the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral letter")
    expect(page.get_by_text("Re: Dana Price, date of birth 2 June 1975")).to_be_visible()
    expect(page.get_by_text("Please assess Dana today.")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the PDF").click()
    download = waiting.value
    assert download.suggested_filename.startswith("letter-")
    assert "Price" not in download.suggested_filename
    saved = tmp_path / "letter.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.goto(f"{base}/episodes/{episode.pk}/compare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Re-assessment side by side")
    assert serious_accessibility_violations(page) == []

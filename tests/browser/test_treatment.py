"""A Level 3 therapist plans soft tissue release for a diagnosed hamstring strain: blocked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client
from softtissue.demo import DEMO_PASSWORD, RIVERSIDE, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def megans_hamstring() -> Episode:
    """Megan Ellis's episode: a hamstring strain a clinician diagnosed last week."""
    clinic = Clinic.objects.get(name=RIVERSIDE)
    megan = Client.objects.get(clinic=clinic, first_name="Megan", last_name="Ellis")
    therapist = Therapist.objects.get(user__email="l3@riverside.example")
    episode = Episode.objects.create(
        clinic=clinic,
        client=megan,
        therapist=therapist,
        presenting_problem="Back of the thigh pain after sprinting; hamstring strain diagnosed",
        region="region.leg",
        condition="condition.hamstring-strain",
    )
    Assessment.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist,
        findings={"diagnosed_by_clinician": True},
    )
    return episode


def test_it_blocks_soft_tissue_release_for_a_level_3_and_offers_the_referral(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    load_demo()
    episode = megans_hamstring()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l3@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")

    page.goto(f"{base}/episodes/{episode.pk}/")
    page.get_by_role("link", name="New treatment plan").click()
    expect(page.get_by_role("heading", name="Suggested for Hamstring strain")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Goals").fill("Sprint at full pace without pain within 6 weeks")
    page.get_by_label("Technique 1", exact=True).select_option("technique.soft-tissue-release")
    page.get_by_label("Region 1", exact=True).select_option("region.leg")
    page.get_by_label("Frequency").fill("Weekly for 4 weeks")
    page.get_by_label("Review date").fill("2027-01-08")
    page.get_by_role("button", name="Save and check scope").click()

    gate = page.get_by_role("heading", name="Scope of practice: Blocked")
    expect(gate).to_be_visible()
    expect(page.get_by_text("may not use Soft tissue release")).to_be_visible()
    refer = page.get_by_role("link", name="Refer", exact=True)
    expect(refer).to_have_attribute("href", f"/episodes/{episode.pk}/letters/new/?kind=referral")
    expect(page.get_by_role("link", name="Record a session")).to_have_count(0)
    assert serious_accessibility_violations(page) == []

    # One click from the block to the referral letter, whose PDF names the client and the reason.
    refer.click()
    expect(page.get_by_label("Reason for referral")).to_have_value(re.compile("Level 3"))
    page.get_by_label("What is asked of the recipient").fill(
        "Please assess and manage this hamstring strain; I will not treat it."
    )
    page.get_by_role("button", name="Write and keep the letter").click()
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "referral.pdf"
    waiting.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    text = " ".join(text.split())
    assert "Megan Ellis" in text
    assert "Reason for referral As a Level 3 sports massage therapist you may not treat" in text
    assert "I have not treated this presentation" in text

"""A therapist prescribes two exercises for an elbow; the client ticks a session on the link."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.demo import DEMO_PASSWORD, RIVERSIDE, load_demo
from softtissue.rehab.models import AdherenceLog, PrescribedExercise
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def elbow_episode() -> Episode:
    load_demo()
    clinic = Clinic.objects.get(name=RIVERSIDE)
    client = Client.objects.filter(clinic=clinic).order_by("pk").first()
    assert client is not None, "the demo has clients"
    return Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=Therapist.objects.get(user__email="l5@riverside.example"),
        presenting_problem="Outer elbow pain when gripping",
        region="region.elbow",
        condition="condition.lateral-elbow-tendinopathy",
    )


def test_it_prescribes_and_the_client_ticks_a_session(live_server: Any, page: Page) -> None:
    episode = elbow_episode()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/episodes/{episode.pk}/")
    page.get_by_role("link", name="Rehab programme and adherence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rehab programme")
    expect(page.get_by_text("Pain during isometrics 3/10 or less")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Add Isometric wrist extension to phase 1").click()
    expect(page.get_by_text("Added Isometric wrist extension.")).to_be_visible()
    page.get_by_label("Purpose").select_option("stretch")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Phase for Wrist extensor stretch").select_option("1")
    page.get_by_role("button", name="Add Wrist extensor stretch", exact=True).click()
    expect(page.get_by_text("Added Wrist extensor stretch.")).to_be_visible()
    expect(page.get_by_role("heading", name="Criteria to progress")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        page.screenshot(path=Path(screenshots) / "rehab-programme.png", full_page=True)
    assert list(PrescribedExercise.objects.values_list("exercise", flat=True)) == [
        "exercise.isometric-wrist-extension",
        "exercise.wrist-extensor-stretch",
    ]

    page.get_by_role("button", name="Link for the client").click()
    link = page.locator(".link-box a").get_attribute("href")
    assert link is not None
    page.context.clear_cookies()  # the client is not logged in
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Your exercises, {episode.client.first_name}"
    )
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Done today for Isometric wrist extension").click()
    expect(page.get_by_text("Done today", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        page.screenshot(path=Path(screenshots) / "rehab-client-link.png", full_page=True)
    assert list(AdherenceLog.objects.values_list("prescribed__exercise", "done")) == [
        ("exercise.isometric-wrist-extension", True)
    ]

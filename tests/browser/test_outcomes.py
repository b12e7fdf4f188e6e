"""A therapist gives an outcome measure in Chromium; the client fills one on the tablet link."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.demo import DEMO_PASSWORD, RIVERSIDE, load_demo
from softtissue.outcomes.models import MeasureAdministration
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def back_pain_episode() -> Episode:
    load_demo()
    clinic = Clinic.objects.get(name=RIVERSIDE)
    client = Client.objects.filter(clinic=clinic, last_name="Hughes").first()
    assert client is not None, "the demo has Daniel Hughes"
    return Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=Therapist.objects.get(user__email="l5@riverside.example"),
        presenting_problem="Low back pain after gardening",
        region="region.lumbar-pelvis",
    )


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")


def test_it_scores_an_odi_entered_by_the_therapist(live_server: Any, page: Page) -> None:
    episode = back_pain_episode()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    page.get_by_role("link", name="Outcome measures and progress").click()
    page.get_by_label("Give a measure").select_option("odi")
    page.get_by_role("button", name="Open the form").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oswestry")
    assert serious_accessibility_violations(page) == []
    for number, value in enumerate(["2", "1", "3", "", "1", "2", "1", "2", "2", "2"], start=1):
        page.get_by_label(f"Item {number} (", exact=False).select_option(value)
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_role("cell", name="moderate disability")).to_be_visible()
    expect(page.get_by_text("35.6")).to_be_visible()
    expect(page.locator("img[src$='odi/chart.svg']")).to_be_visible()
    assert serious_accessibility_violations(page) == []


def test_it_takes_the_clients_answers_on_the_tablet(live_server: Any, page: Page) -> None:
    episode = back_pain_episode()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/episodes/{episode.pk}/measures/nprs/new/")
    page.get_by_label("Pain intensity").select_option("7")
    page.get_by_role("button", name="Save and score").click()
    page.get_by_role("button", name="Tablet link for the client").click()
    link = page.locator(".link-box a").get_attribute("href")
    assert link is not None
    page.context.clear_cookies()  # the tablet is not logged in
    page.goto(link)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Pain intensity").select_option("3")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    scores = list(
        MeasureAdministration.objects.filter(episode=episode).values_list(
            "score", "client_reported"
        )
    )
    assert scores == [(7.0, False), (3.0, True)]

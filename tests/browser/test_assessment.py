"""A Level 5 therapist assesses elbow pain to a working impression; cauda equina stops treatment."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client, Consent
from softtissue.demo import DEMO_PASSWORD, RIVERSIDE, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_client(first_name: str, last_name: str, born: date) -> Client:
    """The demo client, created with consent here if the demo data does not have them."""
    clinic = Clinic.objects.get(name=RIVERSIDE)
    client, created = Client.objects.get_or_create(
        clinic=clinic, first_name=first_name, last_name=last_name, defaults={"date_of_birth": born}
    )
    if created:
        Consent.objects.create(
            clinic=clinic,
            client=client,
            kind=Consent.Kind.ASSESSMENT_TREATMENT,
            method=Consent.Method.IN_PERSON,
            signed_name=client.full_name,
            recorded_at=timezone.now(),
        )
    return client


def log_in_as_level_5(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo")


def open_episode_and_assess(page: Page, base: str, name: str, problem: str, region: str) -> None:
    """From the client list to a new assessment."""
    page.goto(f"{base}/clients/")
    last, first = name.split(" ")[1], name.split(" ")[0]
    page.get_by_role("link", name=f"{last}, {first}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.get_by_role("link", name="Open an episode").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Presenting problem").fill(problem)
    page.get_by_label("Body region").select_option(label=region)
    page.get_by_role("button", name="Open episode").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Initial assessment: {name}")


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def screenshot(page: Page, name: str) -> None:
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        page.screenshot(path=Path(screenshots) / name)


def test_it_assesses_lateral_elbow_pain_to_a_working_impression(
    live_server: Any, page: Page
) -> None:
    load_demo()
    demo_client("Priya", "Shah", date(1984, 3, 9))
    page.set_viewport_size({"width": 1280, "height": 1300})
    log_in_as_level_5(page, live_server.url)
    open_episode_and_assess(
        page,
        live_server.url,
        "Priya Shah",
        "Pain on the outside of the right elbow",
        "Elbow and forearm",
    )
    reasoning = page.locator("#reasoning")

    history = page.locator("#section-history")
    history.get_by_label("Onset").select_option("gradual")
    history.get_by_label("Symptom duration (weeks)").fill("10")
    history.get_by_role("button", name="Save history").click()
    expect(history.get_by_label("Symptom duration (weeks)")).to_have_value("10")

    region = page.locator("#section-region")
    answer(page, "Is the pain mainly on the outside of the elbow?", "Yes")
    answer(page, "Is the pain mainly on the inside of the elbow?", "No")
    for legend in ("Is the pain brought on by gripping", "Does resisted wrist extension"):
        region.locator("fieldset", has_text=legend).get_by_label("Yes", exact=True).check()
    region.get_by_role("button", name="Save region questions").click()
    expect(reasoning).to_contain_text("Pain on gripping: yes")
    outside = page.get_by_role("group", name="Is the pain mainly on the outside of the elbow?")
    expect(outside.get_by_label("Yes", exact=True)).to_be_checked()

    chart = page.locator("#section-chart")
    chart.locator('ellipse[data-area="elbow"][data-view="front"][data-side="right"]').click()
    expect(chart.get_by_label("Area")).to_have_value("elbow")
    chart.get_by_label("Symptom").select_option("pain")
    chart.get_by_label("Intensity (0-10)").fill("6")
    chart.get_by_label("Depth").select_option("deep")
    chart.get_by_role("button", name="Add mark").click()
    expect(chart.get_by_role("cell", name="6/10")).to_be_visible()

    tests = page.locator("#section-tests")
    tests.locator("fieldset", has_text="Cozen").get_by_label("Positive").check()
    tests.get_by_role("button", name="Save tests").click()

    expect(reasoning).to_contain_text("Working impression: Lateral elbow tendinopathy")
    expect(reasoning.locator(".candidate-name").first).to_contain_text("Lateral elbow tendinopathy")
    expect(reasoning).to_contain_text("As a Level 5 soft tissue therapist you may")
    expect(reasoning.get_by_role("alert")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    reasoning.locator("details summary").first.click()
    expect(reasoning.locator("details").first).to_contain_text("LR 3.00")
    chart.scroll_into_view_if_needed()
    screenshot(page, "assessment-elbow.png")


def test_it_stops_treatment_on_saddle_anaesthesia_and_urinary_retention(
    live_server: Any, page: Page
) -> None:
    load_demo()
    demo_client("Daniel", "Hughes", date(1971, 11, 2))
    page.set_viewport_size({"width": 1280, "height": 1300})
    log_in_as_level_5(page, live_server.url)
    open_episode_and_assess(
        page,
        live_server.url,
        "Daniel Hughes",
        "Low back pain after lifting",
        "Lower back and pelvis",
    )
    screening = page.locator("#section-screening")
    expect(screening.locator("#screening-count")).to_contain_text(re.compile(r"\d+ unanswered"))
    screening.locator("fieldset", has_text="saddle").first.get_by_label("Yes", exact=True).check()
    screening.locator("fieldset", has_text="cannot empty your bladder").first.get_by_label(
        "Yes", exact=True
    ).check()
    screening.get_by_role("button", name="Save screening").click()

    banner = page.locator("#reasoning").get_by_role("alert")
    expect(banner).to_contain_text("STOP")
    expect(banner).to_contain_text("Possible cauda equina syndrome")
    expect(banner).to_contain_text("999")
    assert serious_accessibility_violations(page) == []
    saddle = screening.locator("fieldset", has_text="saddle").first
    saddle.evaluate("element => element.scrollIntoView({block: 'center'})")
    screenshot(page, "assessment-stop.png")

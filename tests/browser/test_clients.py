"""A therapist creates a client, finds them with the instant search and records consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")


def test_it_creates_finds_and_consents_a_client(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    log_in(page, base)

    page.get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="New client").click()
    page.get_by_label("First name").fill("Harriet")
    page.get_by_label("Last name").fill("Quinlan")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_text("The date of birth cannot be in the future.")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Quinlan")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Date of birth").fill("1988-04-30")
    page.get_by_label("Phone", exact=True).fill("07700 900321")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harriet Quinlan")
    expect(page.get_by_text("Stop: No consent to assessment and treatment")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Clients").click()
    # Type only once htmx has loaded and watches the search box.
    page.wait_for_load_state("load")
    page.get_by_label("Search by name, date of birth, phone or email").press_sequentially("quin")
    results = page.locator("#client-results")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="Quinlan, Harriet")).to_be_visible()
    page.get_by_label("Search by name, date of birth, phone or email").fill("30/04/1988")
    expect(results.get_by_role("table")).to_contain_text("matching “30/04/1988”")
    expect(results.get_by_role("link", name="Quinlan, Harriet")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    results.get_by_role("link", name="Quinlan, Harriet").click()
    expect(page).to_have_url(re.compile(r"/clients/\d+/$"))

    page.get_by_text("Record or withdraw consent").click()
    page.get_by_label("Consent to").select_option("assessment_treatment")
    page.get_by_label("How", exact=True).select_option("in_person")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Client's typed name (signature)").fill("Harriet Quinlan")
    page.get_by_role("button", name="Record consent").click()

    row = page.get_by_role("row", name="Assessment and treatment")
    expect(row).to_contain_text("Given")
    expect(page.get_by_text("No consent to assessment and treatment")).to_have_count(0)
    assert serious_accessibility_violations(page) == []


def test_it_takes_a_client_through_the_tablet_intake(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    log_in(page, base)
    page.get_by_role("link", name="Clients").click()
    page.wait_for_load_state("load")
    page.get_by_label("Search by name, date of birth, phone or email").fill("megan")
    results = page.locator("#client-results")
    expect(results.get_by_role("link")).to_have_count(1)
    results.get_by_role("link", name="Ellis, Megan").click()
    page.get_by_role("button", name="Make a tablet intake link").click()
    link = page.get_by_label("Link").input_value()
    assert "/intake/" in link

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Megan")
    expect(page.get_by_role("navigation")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Have you been told you have osteoporosis or thinning bones?").check()
    page.get_by_label("Medicines you take").fill("Alendronic acid 70 mg weekly")
    for question in ("assessment and treatment", "keeping health data", "sharing with the gp"):
        page.get_by_role("group", name=f"Do you consent to {question}?").get_by_label(
            "Yes, I consent"
        ).check()
    page.get_by_role("button", name="Send to the clinic").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Type your full name to sign").fill("Megan Ellis")
    page.get_by_role("button", name="Send to the clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Megan")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has already been sent")


def test_it_finds_and_prints_a_leaflet(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    log_in(page, base)
    page.get_by_role("link", name="Leaflets").click()
    page.wait_for_load_state("load")
    assert serious_accessibility_violations(page) == []
    total = page.locator("#leaflet-results li").count()
    page.get_by_label("Search leaflets").fill("tennis")
    results = page.locator("#leaflet-results")
    expect(results.locator("li")).not_to_have_count(total)
    results.get_by_role("link", name="Tennis elbow").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tennis elbow")
    assert serious_accessibility_violations(page) == []
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

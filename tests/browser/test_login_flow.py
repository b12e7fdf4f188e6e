"""A therapist logs in, sees the dashboard and logs out, in a real Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_the_demo_therapist_in_and_out(live_server: Any, page: Page) -> None:
    load_demo()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo")
    expect(page.get_by_text("Riverside Soft Tissue Clinic · Therapist")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        page.screenshot(path=Path(screenshots) / "dashboard.png")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")


def test_it_shows_a_wrong_password_next_to_the_form(live_server: Any, page: Page) -> None:
    load_demo()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct email address and password")

"""Reception books an appointment from the client page, fixes a mistake and finds it on the day."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from softtissue.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    # The Content Security Policy rightly blocks injected scripts; axe-core is one, in tests only.
    context = browser.new_context(viewport={"width": 1024, "height": 768}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_it_books_and_lists_an_appointment(live_server: Any, tab: Page) -> None:
    page = tab
    load_demo()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("reception@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")

    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Shah, Priya").click()
    expect(page.get_by_role("heading", name="Appointments")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_label("Starts").fill("2026-12-03T14:30")
    page.get_by_label("Length (minutes)").fill("0")
    page.get_by_label("Note for reception").fill("Ground-floor room")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("The length must be at least 1 minute.")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Length (minutes)").fill("45")
    page.get_by_label("Length (minutes)").press("Enter")  # submits from the keyboard
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Shah")
    expect(page.get_by_text("Ground-floor room")).to_be_visible()

    page.get_by_role("link", name="Appointments", exact=True).click()
    page.get_by_label("Show the day").fill("2026-12-03")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Appointments on Thursday 3 December 2026"
    )
    expect(page.get_by_role("cell", name="Priya Shah", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Change Priya Shah's appointment at 14:30").click()
    page.get_by_label("Status").select_option("attended")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("cell", name="Attended", exact=True)).to_be_visible()

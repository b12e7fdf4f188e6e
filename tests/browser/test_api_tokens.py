"""A therapist creates an API token, sees it once, and revokes it, all by keyboard-usable forms."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.demo import DEMO_PASSWORD, load_demo
from softtissue.interop.models import ApiToken
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_creates_and_revokes_a_token(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")

    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()

    page.get_by_label("Name").fill("Spreadsheet export")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("st_")
    expect(page.get_by_role("cell", name="Read and write")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Revoke Spreadsheet export").click()
    expect(page.get_by_text("Token 'Spreadsheet export' revoked.")).to_be_visible()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    assert ApiToken.objects.get().revoked_at is not None
    assert serious_accessibility_violations(page) == []

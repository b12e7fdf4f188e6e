"""The owner's privacy pages and audit log in Chromium: usable by keyboard, no serious axe issue."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client
from softtissue.privacy.models import LegalHold
from tests.browser.conftest import serious_accessibility_violations
from tests.conftest import PASSWORD, make_member
from tests.privacy.old_records import treated_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(f"{base}/")


def test_it_places_a_hold_and_erases_by_keyboard(live_server: Any, page: Page) -> None:
    clinic = Clinic.objects.create(name="Harbour Clinic")
    owner = make_member("owen@example.org", clinic, "owner", "Owen")
    client = treated_client(clinic, owner, date(1960, 1, 1), date(2012, 1, 1))
    log_in(page, live_server.url, owner.email)

    page.goto(f"{live_server.url}/privacy/retention/")
    expect(page.get_by_role("link", name="Edith Marchbanks")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Edith Marchbanks").click()
    page.get_by_label("Reason for the hold").fill("Complaint under investigation")
    page.get_by_label("Reason for the hold").press("Enter")
    expect(page.get_by_text("Legal hold placed: this record")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Type the client's full name to confirm").fill("Edith Marchbanks")
    page.get_by_role("button", name="Erase this record").click()
    expect(page.get_by_role("alert")).to_contain_text("A legal hold placed on")
    assert LegalHold.objects.filter(client=client).exists()

    page.get_by_role("button", name="Lift this hold").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Legal hold lifted.")).to_be_visible()
    page.get_by_label("Type the client's full name to confirm").fill("edith marchbanks")
    page.get_by_role("button", name="Erase this record").click()
    expect(page).to_have_url(f"{live_server.url}/privacy/retention/")
    expect(page.get_by_text(f"Client {client.pk}'s record was erased.")).to_be_visible()
    assert not Client.objects.filter(pk=client.pk).exists()

    page.goto(f"{live_server.url}/audit/?action=erase")
    expect(page.get_by_role("cell", name="Erased a client's record")).to_be_visible()
    assert serious_accessibility_violations(page) == []

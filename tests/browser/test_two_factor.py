"""Two-factor in a real Chromium: enrol by QR page, log in with a code; nothing the CSP blocks."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import ConsoleMessage, Page, expect

from softtissue.accounts.models import Clinic
from tests.browser.conftest import serious_accessibility_violations
from tests.conftest import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, drift: int = 0) -> str:
    """What an authenticator app shows for this typed-in key."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=drift):06d}"


def watch_csp(page: Page) -> list[str]:
    """Console errors that name the Content Security Policy, collected as the test runs."""
    violations: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    return violations


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_it_enrols_an_app_and_asks_for_its_code_at_login(live_server: Any, page: Page) -> None:
    clinic = Clinic.objects.create(name="Harbour Clinic", require_two_factor=True)
    make_member("olive@example.org", clinic, "owner", "Olive")
    blocked = watch_csp(page)

    log_in(page, live_server.url, "olive@example.org")
    expect(page).to_have_url(f"{live_server.url}/profile/two-factor/?next=/")
    expect(page.get_by_text("Your clinic requires two-factor authentication")).to_be_visible()
    expect(page.locator("svg.segno")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    secret = page.locator("#secret").inner_text()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_role("button", name="Confirm and switch on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is on")
    assert page.locator(".recovery-codes li").count() == 10
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "olive@example.org")
    expect(page).to_have_url(f"{live_server.url}/login/verify/?next=/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Code").fill(code_for(secret, drift=1))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Olive")

    page.goto(f"{live_server.url}/clinic/security/")
    expect(page.get_by_label("Require two-factor authentication")).to_be_checked()
    assert serious_accessibility_violations(page) == []
    assert blocked == []


def test_it_shows_the_lockout_on_the_login_page(live_server: Any, page: Page) -> None:
    clinic = Clinic.objects.create(name="Harbour Clinic")
    make_member("tom@example.org", clinic, "therapist", "Tom")
    for _ in range(5):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Email").fill("tom@example.org")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts")
    assert serious_accessibility_violations(page) == []


def test_it_runs_the_api_docs_and_the_admin_under_the_policy(live_server: Any, page: Page) -> None:
    clinic = Clinic.objects.create(name="Harbour Clinic")
    make_member("olive@example.org", clinic, "owner", "Olive")
    blocked = watch_csp(page)
    log_in(page, live_server.url, "olive@example.org")
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    expect(page.get_by_text("softtissue API").first).to_be_visible()

    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Clinic administration")).to_be_visible()
    assert blocked == []

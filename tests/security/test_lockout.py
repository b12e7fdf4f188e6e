"""django-axes: five wrong passwords for one email from one address pause logging in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client as WebClient

from softtissue.accounts.models import User
from tests.conftest import PASSWORD

LOCKED = b"Too many failed attempts to log in"


def alert(page: bytes) -> bytes:
    """The message the login page shows, without the per-response CSRF token around it."""
    start = page.index(b'role="alert"')
    return page[start : page.index(b"</div>", start)]


def fail(web: WebClient, email: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        web.post("/login/", {"username": email, "password": "wrong"}, REMOTE_ADDR=address)


def test_it_locks_out_after_five_failures(web: WebClient, alice: User) -> None:
    fail(web, alice.email, 4)
    response = web.post(
        "/login/", {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302  # four failures are forgiven by a success
    web.post("/logout/")
    fail(web, alice.email, 5)
    response = web.post(
        "/login/", {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert LOCKED in response.content
    assert b"paused for 15 minutes" in response.content
    assert web.get("/").status_code == 302


def test_it_says_the_same_for_an_unknown_email(web: WebClient, alice: User) -> None:
    fail(web, "nobody@example.org", 5)
    unknown = web.post(
        "/login/", {"username": "nobody@example.org", "password": "x"}, REMOTE_ADDR="10.0.0.1"
    )
    fail(web, alice.email, 5)
    known = web.post("/login/", {"username": alice.email, "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert unknown.status_code == known.status_code == 429
    assert alert(known.content) == alert(unknown.content)
    assert LOCKED in alert(known.content)


def test_it_counts_failures_per_email_and_address(web: WebClient, alice: User, bob: User) -> None:
    fail(web, alice.email, 5)
    other_address = web.post(
        "/login/", {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302
    web.post("/logout/")
    other_user = web.post(
        "/login/", {"username": bob.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_user.status_code == 302


def test_it_counts_any_spelling_of_the_email_as_one(web: WebClient, alice: User) -> None:
    for spelling in ["ALICE@example.org", "Alice@Example.org", "alice@EXAMPLE.org"]:
        fail(web, spelling, 2)
    response = web.post(
        "/login/", {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


def test_it_lifts_a_lockout_with_axes_reset(web: WebClient, alice: User) -> None:
    fail(web, alice.email, 5)
    assert AccessAttempt.objects.exists()
    call_command("axes_reset")
    assert not AccessAttempt.objects.exists()
    response = web.post(
        "/login/", {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("command", ["axes_reset", "axes_reset_username", "axes_reset_ip"])
def test_it_offers_the_reset_commands_on_our_cli(command: str, tmp_path: object) -> None:
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "softtissue", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert command in result.stdout

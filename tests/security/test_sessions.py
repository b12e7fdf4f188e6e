"""Sessions end: at browser close, and at the latest after SOFTTISSUE_SESSION_HOURS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from tests.conftest import PASSWORD


def test_it_gives_sessions_a_ten_hour_limit_and_a_browser_session_cookie(
    web: WebClient, alice: User, settings: Any
) -> None:
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = web.post("/login/", {"username": alice.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # no lifetime: the browser drops it when it closes
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(hours=9, minutes=59) < remaining <= timedelta(hours=10)


def test_it_logs_out_a_session_past_its_end(web: WebClient, alice: User) -> None:
    web.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert web.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = web.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_starts_a_new_session_at_login(web: WebClient, alice: User, settings: Any) -> None:
    web.get("/login/")
    web.cookies[settings.SESSION_COOKIE_NAME] = "planted-by-an-attacker"
    web.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert web.cookies[settings.SESSION_COOKIE_NAME].value != "planted-by-an-attacker"


def test_it_hashes_passwords_with_argon2_first(alice: User, settings: Any) -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert alice.password.startswith("argon2$argon2id$")

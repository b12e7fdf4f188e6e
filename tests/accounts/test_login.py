"""Logging in and out, and changing the password."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from tests.conftest import PASSWORD


def test_it_sends_a_visitor_to_the_login_page(web: WebClient, db: None) -> None:
    response = web.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_serves_the_login_page(web: WebClient, db: None) -> None:
    response = web.get("/login/")
    assert response.status_code == 200
    assert b'<label for="id_username">Email</label>' in response.content


def test_it_logs_in_with_email_in_any_case(web: WebClient, alice: User) -> None:
    response = web.post("/login/", {"username": "ALICE@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert web.get("/").status_code == 200


def test_it_refuses_a_wrong_password(web: WebClient, alice: User) -> None:
    response = web.post("/login/", {"username": alice.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert b"Please enter a correct email address and password" in response.content
    assert web.get("/").status_code == 302


def test_it_hashes_passwords_with_argon2(alice: User) -> None:
    assert alice.password.startswith("argon2$")


def test_it_logs_out_with_post(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert web.get("/").status_code == 302


def test_it_changes_the_password(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/password/changed/"
    alice.refresh_from_db()
    assert alice.check_password("a-much-longer-secret-42")


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short", b"This password is too short"),
        ("1234567890123", b"This password is entirely numeric"),
    ],
)
def test_it_refuses_a_weak_new_password(
    web: WebClient, alice: User, new_password: str, message: bytes
) -> None:
    web.force_login(alice)
    response = web.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)

"""Forged cross-site requests: a form POST or an API call riding on the session is refused."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from tests.conftest import PASSWORD

NEW_CLIENT = {"first_name": "Rhea", "last_name": "Stone", "date_of_birth": "1990-01-01"}


@pytest.fixture
def strict_web() -> WebClient:
    """A browser whose requests are checked for CSRF as a real one's are."""
    return WebClient(enforce_csrf_checks=True)


def test_it_refuses_a_form_post_without_the_token(strict_web: WebClient, alice: User) -> None:
    strict_web.force_login(alice)
    response = strict_web.post("/clients/new/", NEW_CLIENT)
    assert response.status_code == 403
    assert not Client.objects.exists()


def test_it_refuses_a_form_post_with_a_forged_token(strict_web: WebClient, alice: User) -> None:
    strict_web.force_login(alice)
    strict_web.get("/clients/new/")  # sets the real CSRF cookie
    forged = "x" * 64
    response = strict_web.post("/clients/new/", {**NEW_CLIENT, "csrfmiddlewaretoken": forged})
    assert response.status_code == 403
    assert not Client.objects.exists()


def test_it_refuses_a_post_from_another_site(strict_web: WebClient, alice: User) -> None:
    strict_web.force_login(alice)
    page = strict_web.get("/clients/new/")
    token = page.context["csrf_token"]
    response = strict_web.post(
        "/clients/new/",
        {**NEW_CLIENT, "csrfmiddlewaretoken": str(token)},
        secure=True,
        headers={"Origin": "https://evil.example", "Referer": "https://evil.example/"},
    )
    assert response.status_code == 403
    assert not Client.objects.exists()


def test_it_accepts_the_real_token(strict_web: WebClient, alice: User) -> None:
    strict_web.force_login(alice)
    page = strict_web.get("/clients/new/")
    token = str(page.context["csrf_token"])
    response = strict_web.post("/clients/new/", {**NEW_CLIENT, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Client.objects.count() == 1


def test_it_refuses_an_api_write_on_the_session_without_the_header(
    strict_web: WebClient, alice: User
) -> None:
    strict_web.force_login(alice)
    response = strict_web.post("/api/v1/clients", NEW_CLIENT, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Client.objects.exists()


def test_it_refuses_an_api_write_with_a_forged_header(strict_web: WebClient, alice: User) -> None:
    strict_web.force_login(alice)
    strict_web.get("/clients/new/")
    response = strict_web.post(
        "/api/v1/clients",
        NEW_CLIENT,
        content_type="application/json",
        headers={"X-CSRFToken": "y" * 64},
    )
    assert response.status_code == 403
    assert not Client.objects.exists()


def test_it_refuses_the_login_form_without_the_token(strict_web: WebClient, alice: User) -> None:
    response = strict_web.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 403
    assert strict_web.get("/").status_code == 302

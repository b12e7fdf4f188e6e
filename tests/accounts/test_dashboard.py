"""The dashboard shows your own clinic and nobody else's."""

from __future__ import annotations

from datetime import date

from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client


def test_it_shows_the_clinic_and_the_team(
    web: WebClient, alice: User, bob: User, charlie: User
) -> None:
    web.force_login(alice)
    page = web.get("/").content.decode()
    assert "Alice&#x27;s Clinic" in page
    assert "bob@example.org" not in page  # names are shown, not emails, when a name is set
    assert "Bob" in page
    assert "Charlie" not in page


def test_it_shows_an_honest_empty_state(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    page = web.get("/").content.decode()
    assert "No clients yet" in page
    assert "No qualifications recorded" in page


def test_it_hides_qualifications_from_reception(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    page = web.get("/").content.decode()
    assert "Your qualifications" not in page


def test_it_refuses_a_user_without_a_clinic(web: WebClient, db: None) -> None:
    loner = User.objects.create_user("loner@example.org", "whatever-password")
    web.force_login(loner)
    assert web.get("/").status_code == 403


def test_it_wires_htmx_with_the_csrf_header(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    page = web.get("/").content.decode()
    assert "django_htmx/htmx-4.min.js" in page
    assert 'hx-headers:inherited=\'{"X-CSRFToken": "' in page


def test_it_lists_only_the_clinics_own_clients(
    web: WebClient, alice: User, clinic_a: Clinic, clinic_b: Clinic
) -> None:
    Client.objects.create(
        clinic=clinic_a, first_name="Nina", last_name="Hart", date_of_birth=date(1990, 2, 3)
    )
    Client.objects.create(
        clinic=clinic_b, first_name="Otto", last_name="Vance", date_of_birth=date(1970, 1, 1)
    )
    web.force_login(alice)
    page = web.get("/").content.decode()
    assert "1 client on record" in page
    assert "Nina Hart" in page
    assert "Otto" not in page

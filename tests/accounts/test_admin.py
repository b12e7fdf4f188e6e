"""The admin is for owners, and shows only their own clinic."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import User


def test_it_lets_an_owner_in(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    assert web.get("/admin/").status_code == 200


def test_it_keeps_a_therapist_out(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lists_only_the_owners_clinic(
    web: WebClient, owner: User, alice: User, charlie: User
) -> None:
    web.force_login(owner)
    page = web.get("/admin/accounts/membership/").content.decode()
    assert "alice@example.org" in page or "Alice" in page
    assert "Charlie" not in page and "charlie@example.org" not in page


def test_it_will_not_open_another_clinics_record(
    web: WebClient, owner: User, charlie: User
) -> None:
    web.force_login(owner)
    response = web.get(f"/admin/accounts/membership/{charlie.membership.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect, not the record
    assert web.get(response["Location"]).status_code == 200
    assert "Charlie" not in web.get(response["Location"]).content.decode()


def test_it_offers_only_own_clinic_users_in_forms(
    web: WebClient, owner: User, alice: User, charlie: User
) -> None:
    web.force_login(owner)
    page = web.get("/admin/accounts/therapist/add/").content.decode()
    assert f'<option value="{alice.pk}">Alice</option>' in page
    assert f'<option value="{charlie.pk}"' not in page
    assert "Charlie&#x27;s Clinic" not in page

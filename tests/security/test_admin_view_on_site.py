"""The admin's "view on site" shortcut tells an owner nothing about another clinic's ids."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.admin_site import ClinicScopedAdmin, site
from softtissue.clients.models import Client
from tests.records import FullRecord, build_full_record

# Models with a page of their own (get_absolute_url), which Django's shortcut would redirect to.
RECORDS = ["client", "episode", "assessment", "letter", "appointment"]


@pytest.fixture
def theirs(clinic_b: Clinic, charlie: User) -> FullRecord:
    return build_full_record(clinic_b, charlie)


@pytest.fixture
def ours(clinic_a: Clinic, owner: User) -> FullRecord:
    return build_full_record(clinic_a, owner)


def without_csrf(page: bytes) -> bytes:
    """The page without its CSRF tokens, which differ at every render."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"", page)


def shortcut(row: object, object_id: int | None = None) -> str:
    content_type = ContentType.objects.get_for_model(type(row))
    return f"/admin/r/{content_type.pk}/{object_id or row.pk}/"  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", RECORDS)
def test_it_answers_another_clinics_record_as_one_that_does_not_exist(
    web: WebClient, owner: User, theirs: FullRecord, kind: str
) -> None:
    row = getattr(theirs, kind)
    web.force_login(owner)
    elsewhere = web.get(shortcut(row))
    nowhere = web.get(shortcut(row, object_id=row.pk + 10_000))
    assert elsewhere.status_code == nowhere.status_code == 404
    assert not elsewhere.has_header("Location")
    assert without_csrf(elsewhere.content) == without_csrf(nowhere.content)


@pytest.fixture
def clients_in_admin() -> Iterator[None]:
    """Client registered in the admin for one test, as a future admin page would be."""
    site.register(Client, ClinicScopedAdmin)
    try:
        yield
    finally:
        site.unregister(Client)


def test_it_still_leads_to_the_owners_own_record(
    web: WebClient, owner: User, ours: FullRecord, theirs: FullRecord, clients_in_admin: None
) -> None:
    web.force_login(owner)
    own = web.get(shortcut(ours.client))
    assert own.status_code == 302
    assert own["Location"] == ours.client.get_absolute_url()
    assert web.get(shortcut(theirs.client)).status_code == 404


def test_it_refuses_a_model_the_admin_does_not_show(
    web: WebClient, owner: User, ours: FullRecord
) -> None:
    web.force_login(owner)
    assert web.get(shortcut(ours.client)).status_code == 404


def test_it_keeps_the_shortcut_from_people_who_are_not_owners(
    web: WebClient, alice: User, ours: FullRecord, clients_in_admin: None
) -> None:
    web.force_login(alice)
    response = web.get(shortcut(ours.client))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

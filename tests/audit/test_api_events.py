"""API operations are recorded like pages, with the token's user."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client
from softtissue.interop.tokens import create_token


@pytest.fixture
def client_a(clinic_a: Clinic) -> Client:
    return Client.objects.create(
        clinic=clinic_a, first_name="Ada", last_name="Lovelace", date_of_birth=date(1990, 1, 2)
    )


def test_it_records_an_api_read_by_token(web: WebClient, alice: User, client_a: Client) -> None:
    _, secret = create_token(alice.membership, "Spreadsheet", read_only=True)
    response = web.get(f"/api/v1/clients/{client_a.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.action, event.url_name, event.object_type, event.object_id) == (
        "view",
        "get_client",
        "clients.Client",
        client_a.pk,
    )
    assert (event.user_id, event.clinic_id, event.client_id) == (
        alice.pk,
        client_a.clinic_id,
        client_a.pk,
    )
    assert secret not in repr(list(AuditEvent.objects.values()))


def test_it_records_api_refusals(web: WebClient, charlie: User, client_a: Client) -> None:
    assert web.get(f"/api/v1/clients/{client_a.pk}").status_code == 401
    assert AuditEvent.objects.order_by("-pk").first().action == "denied"  # type: ignore[union-attr]
    web.force_login(charlie)
    assert web.get(f"/api/v1/clients/{client_a.pk}").status_code == 404
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.action, event.client_id) == ("not_found", None)


def test_it_records_bad_json_as_bad_input(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post("/api/v1/clients", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.action in {"bad_request", "denied"}
    # ninja serves GET and POST /clients from one URL, named after its first operation.
    assert (event.method, event.url_name) == ("POST", "list_clients")


def test_it_skips_the_api_schema(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    before = AuditEvent.objects.count()
    assert web.get("/api/v1/openapi.json").status_code == 200
    assert AuditEvent.objects.count() == before

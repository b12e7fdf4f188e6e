"""GET /api/v1/clients/{id}/fhir: the record as application/fhir+json, for clinicians only."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from tests.interop.fhir_checks import parse, resources
from tests.interop.fhir_record import full_record


@pytest.fixture
def priya(alice: User) -> Client:
    return full_record(alice, letters=False)


def url(client: Client | int) -> str:
    pk = client if isinstance(client, int) else client.pk
    return reverse("api:export_client_fhir", args=[pk])


def test_it_answers_a_bundle_for_a_clinician(web: WebClient, alice: User, priya: Client) -> None:
    web.force_login(alice)
    response = web.get(url(priya))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "no-store"
    bundle = parse(response.content.decode())
    assert resources(bundle, "Patient")[0]["name"][0]["family"] == "Shah"


def test_it_lets_the_owner_export(web: WebClient, owner: User, priya: Client) -> None:
    web.force_login(owner)
    assert web.get(url(priya)).status_code == 200


def test_it_refuses_reception(web: WebClient, reception: User, priya: Client) -> None:
    web.force_login(reception)
    response = web.get(url(priya))
    assert response.status_code == 403
    assert "clinical" in response.json()["detail"]


def test_it_hides_another_clinics_client(web: WebClient, charlie: User, priya: Client) -> None:
    web.force_login(charlie)
    response = web.get(url(priya))
    assert response.status_code == 404
    assert "Shah" not in response.content.decode()


def test_it_answers_404_for_an_unknown_client(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert web.get(url(999999)).status_code == 404


def test_it_refuses_a_visitor(web: WebClient, priya: Client) -> None:
    assert web.get(url(priya)).status_code == 401


def test_it_describes_the_media_type_in_the_openapi(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    schema = web.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/clients/{client_id}/fhir"]["get"]
    assert "application/fhir+json" in operation["responses"]["200"]["content"]

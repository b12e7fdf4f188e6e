"""Client and consent operations: search, read, create, change, consent; reception included."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client, Consent
from tests.interop.api_helpers import assert_error, make_record, send

NEW_CLIENT = {"first_name": "Ann", "last_name": "O'Brien", "date_of_birth": "1990-01-31"}


def add_client(clinic: Clinic, first: str, last: str, **fields: object) -> Client:
    client = Client(clinic=clinic, first_name=first, last_name=last, **fields)  # type: ignore[misc]
    client.date_of_birth = client.date_of_birth or date(1980, 1, 1)
    client.save()
    return client


@pytest.fixture
def clients(clinic_a: Clinic, clinic_b: Clinic) -> list[Client]:
    return [
        add_client(clinic_a, "Priya", "Shah", date_of_birth=date(1984, 3, 9), phone="07700 900123"),
        add_client(clinic_a, "Daniel", "Hughes", date_of_birth=date(1971, 11, 2)),
        add_client(clinic_a, "Megan", "Ellis", date_of_birth=date(1998, 7, 14), email="m@x.org"),
        add_client(clinic_b, "Oliver", "Shah", date_of_birth=date(1990, 5, 21)),
    ]


def names(response: object) -> list[str]:
    return [c["last_name"] for c in response.json()["items"]]  # type: ignore[attr-defined]


def test_it_lists_the_clinics_clients_in_name_order(
    web: WebClient, alice: User, clients: list[Client]
) -> None:
    web.force_login(alice)
    response = web.get("/api/v1/clients")
    assert response.status_code == 200
    assert names(response) == ["Ellis", "Hughes", "Shah"]
    assert response.json()["count"] == 3 and response.json()["kind"] == "all"
    assert response.json()["count_capped"] is False
    assert names(web.get("/api/v1/clients", {"limit": 1, "offset": 1})) == ["Hughes"]


@pytest.mark.parametrize(
    ("query", "kind", "found"),
    [
        ("sha", "name", ["Shah"]),
        ("priya shah", "name", ["Shah"]),
        ("09/03/1984", "date_of_birth", ["Shah"]),
        ("+44 7700 900123", "phone", ["Shah"]),
        ("M@X.org", "email", ["Ellis"]),
        ("s", "too_short", []),
        ("nobody", "name", []),
    ],
)
def test_it_searches_as_the_client_list_does(
    web: WebClient, alice: User, clients: list[Client], query: str, kind: str, found: list[str]
) -> None:
    web.force_login(alice)
    response = web.get("/api/v1/clients", {"q": query})
    assert response.json()["kind"] == kind
    assert names(response) == found
    assert response.json()["count"] == len(found)
    assert response.json()["count_capped"] is False


def test_it_pages_name_matches(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    for first in ("Cara", "Abe", "Bea"):
        add_client(clinic_a, first, "Moss")
    web.force_login(alice)
    response = web.get("/api/v1/clients", {"q": "moss", "limit": 2, "offset": 1})
    assert [c["first_name"] for c in response.json()["items"]] == ["Bea", "Cara"]
    assert response.json()["count"] == 3


def test_it_gets_a_client(web: WebClient, reception: User, clients: list[Client]) -> None:
    web.force_login(reception)
    body = web.get(f"/api/v1/clients/{clients[0].pk}").json()
    assert body["first_name"] == "Priya" and body["date_of_birth"] == "1984-03-09"
    assert_error(web.get(f"/api/v1/clients/{clients[3].pk}"), 404)


def test_it_creates_a_client(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    response = send(web, "POST", "/api/v1/clients", {**NEW_CLIENT, "phone": "07700 900999"})
    assert response.status_code == 201
    client = Client.objects.get(pk=response.json()["id"])
    assert client.clinic == reception.membership.clinic
    assert client.phone_digits == "07700900999"
    assert names(web.get("/api/v1/clients", {"q": "obrien"})) == ["O'Brien"]


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "before 1900"),
        ({"first_name": "   "}, "first_name", "required"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"postcode": "x" * 13}, "postcode", "at most 12"),
    ],
)
def test_it_checks_a_new_client_as_the_form_does(
    web: WebClient, alice: User, fields: dict[str, str], where: str, message: str
) -> None:
    web.force_login(alice)
    body = assert_error(send(web, "POST", "/api/v1/clients", {**NEW_CLIENT, **fields}), 422)
    assert body["errors"][0]["loc"] == ["body", where]
    assert message in body["errors"][0]["msg"]
    assert not Client.objects.exists()


def test_it_refuses_a_client_without_names(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    body = assert_error(send(web, "POST", "/api/v1/clients", {"date_of_birth": "1990-01-01"}), 422)
    assert {tuple(e["loc"]) for e in body["errors"]} == {
        ("body", "first_name"),
        ("body", "last_name"),
    }


def test_it_changes_only_the_fields_sent(
    web: WebClient, reception: User, clients: list[Client]
) -> None:
    web.force_login(reception)
    path = f"/api/v1/clients/{clients[0].pk}"
    response = send(web, "PATCH", path, {"email": "priya@new.example", "gp_name": "Dr Okafor"})
    assert response.status_code == 200
    clients[0].refresh_from_db()
    assert clients[0].email == "priya@new.example" and clients[0].gp_name == "Dr Okafor"
    assert clients[0].phone == "07700 900123" and clients[0].first_name == "Priya"


def test_it_refuses_a_bad_change_and_keeps_the_record(
    web: WebClient, alice: User, clients: list[Client]
) -> None:
    web.force_login(alice)
    path = f"/api/v1/clients/{clients[0].pk}"
    body = {"first_name": "Pia", "date_of_birth": "2999-01-01"}
    assert_error(send(web, "PATCH", path, body), 422)
    assert_error(send(web, "PATCH", path, {"last_name": None}), 422)
    assert_error(send(web, "PATCH", path, {"clinic": 2}), 422)
    clients[0].refresh_from_db()
    assert clients[0].first_name == "Priya"


def test_it_cannot_change_another_clinics_client(
    web: WebClient, alice: User, clients: list[Client]
) -> None:
    web.force_login(alice)
    assert_error(send(web, "PATCH", f"/api/v1/clients/{clients[3].pk}", {"phone": "1"}), 404)
    clients[3].refresh_from_db()
    assert clients[3].phone == ""


def test_it_records_and_lists_consent(web: WebClient, reception: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a)
    web.force_login(reception)
    path = f"/api/v1/clients/{record.client.pk}/consents"
    withdrawn = {
        "kind": "share_with_gp",
        "given": False,
        "method": "paper",
        "signed_name": "Priya Shah",
    }
    response = send(web, "POST", path, withdrawn)
    assert response.status_code == 201
    assert response.json()["recorded_by_id"] == reception.pk
    listed = web.get(path).json()
    assert listed["count"] == 2
    assert listed["items"][0]["kind"] == "share_with_gp" and listed["items"][0]["given"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "everything", "method": "paper", "signed_name": "P"},
        {"kind": "health_data", "method": "paper", "signed_name": "   "},
        {"kind": "health_data", "method": "paper"},
        {"kind": "health_data", "method": "paper", "signed_name": "P", "witness": "Q"},
    ],
)
def test_it_refuses_a_bad_consent(
    web: WebClient, alice: User, clinic_a: Clinic, body: dict[str, str]
) -> None:
    record = make_record(clinic_a)
    web.force_login(alice)
    before = Consent.objects.count()
    assert_error(send(web, "POST", f"/api/v1/clients/{record.client.pk}/consents", body), 422)
    assert Consent.objects.count() == before


def test_it_hides_another_clinics_consents(
    web: WebClient, alice: User, charlie: User, clinic_b: Clinic
) -> None:
    theirs = make_record(clinic_b, charlie)
    web.force_login(alice)
    assert_error(web.get(f"/api/v1/clients/{theirs.client.pk}/consents"), 404)

"""A new client who may already be on file is flagged, and a double submit creates one record."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import Clinic, User
from softtissue.clients import services
from softtissue.clients.models import Client
from softtissue.interop.importing.validation import Candidate, duplicate_problems
from tests.clients.conftest import MakeClient
from tests.interop.api_helpers import assert_error, bearer, send

NEW = {"first_name": "Priya", "last_name": "Shah", "date_of_birth": "09/03/1984"}
NEW_JSON = {"first_name": "Priya", "last_name": "Shah", "date_of_birth": "1984-03-09"}

# (stored first, last, born), (typed first, last, born), the same person by the rule?
PAIRS = [
    (("Priya", "Shah", date(1984, 3, 9)), ("priya", "SHAH", date(1984, 3, 9)), True),
    (("Zoë", "Brontë", date(1990, 1, 2)), ("Zoe", "Bronte", date(1990, 1, 2)), True),
    (("Priya", "Shah", date(1984, 3, 9)), (" Priya ", "Shah ", date(1984, 3, 9)), True),
    (("Priya", "Shah", date(1984, 3, 9)), ("Priya", "Shah", date(1984, 3, 10)), False),
    (("Priya", "Shah", date(1984, 3, 9)), ("Priyanka", "Shah", date(1984, 3, 9)), False),
]


def form_key(web: WebClient) -> str:
    """The one-time key of a freshly shown new-client form."""
    page = web.get(reverse("create_client")).content.decode()
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None, "the new-client form carries no submission key"
    return found.group(1)


def test_it_warns_of_a_possible_duplicate_and_creates_nothing(
    web: WebClient, alice: User, make_client: MakeClient
) -> None:
    existing = make_client()
    web.force_login(alice)
    response = web.post(reverse("create_client"), {**NEW, "first_name": "PRIYA"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Possible duplicate of" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert 'name="confirm_duplicate"' in page
    assert Client.objects.count() == 1


def test_it_creates_the_second_record_once_confirmed(
    web: WebClient, reception: User, make_client: MakeClient
) -> None:
    make_client()
    web.force_login(reception)
    response = web.post(reverse("create_client"), {**NEW, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_it_does_not_warn_of_another_clinics_client(
    web: WebClient, alice: User, clinic_b: Clinic
) -> None:
    Client(
        clinic=clinic_b, first_name="Priya", last_name="Shah", date_of_birth=date(1984, 3, 9)
    ).save()
    web.force_login(alice)
    assert web.post(reverse("create_client"), NEW).status_code == 302


@pytest.mark.parametrize(("stored", "typed", "same"), PAIRS)
def test_it_applies_the_importers_rule_on_the_page_and_in_the_api(
    web: WebClient,
    alice: User,
    clinic_a: Clinic,
    make_client: MakeClient,
    stored: tuple[str, str, date],
    typed: tuple[str, str, date],
    same: bool,
) -> None:
    on_file = make_client(first_name=stored[0], last_name=stored[1], date_of_birth=stored[2])
    candidate = Client(
        clinic=clinic_a, first_name=typed[0], last_name=typed[1], date_of_birth=typed[2]
    )
    assert bool(duplicate_problems([Candidate(2, candidate)], clinic_a)) is same
    web.force_login(alice)
    typed_in = {"first_name": typed[0], "last_name": typed[1], "date_of_birth": typed[2]}
    page = web.post(reverse("create_client"), {**typed_in, "date_of_birth": typed[2].isoformat()})
    assert page.status_code == (409 if same else 302)
    Client.objects.exclude(pk=on_file.pk).delete()  # the API meets the same clinic as the page
    api = send(web, "POST", "/api/v1/clients", {**typed_in, "date_of_birth": typed[2].isoformat()})
    assert api.status_code == (409 if same else 201)


def test_it_gives_every_shown_form_its_own_key(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert form_key(web) != form_key(web)


def test_it_creates_one_client_from_a_double_submit(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    key = form_key(web)
    first = web.post(reverse("create_client"), {**NEW, "submission_key": key})
    second = web.post(reverse("create_client"), {**NEW, "submission_key": key})
    client = Client.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == client.get_absolute_url()


def test_it_creates_one_client_when_two_submits_race(
    web: WebClient, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.force_login(alice)
    key = form_key(web)
    assert web.post(reverse("create_client"), {**NEW, "submission_key": key}).status_code == 302
    # The second submit looks before the first has committed, and finds neither its key nor its
    # client: the database's unique key is what stops a second record.
    monkeypatch.setattr(services, "created_with", lambda *args: None)
    monkeypatch.setattr(services, "possible_duplicates", lambda *args: [])
    second = web.post(reverse("create_client"), {**NEW, "submission_key": key})
    assert second.status_code == 302
    assert second["Location"] == Client.objects.get().get_absolute_url()


def test_it_answers_409_with_the_existing_id_in_the_api(
    web: WebClient, alice: User, make_client: MakeClient
) -> None:
    existing = make_client()
    web.force_login(alice)
    body = assert_error(send(web, "POST", "/api/v1/clients", NEW_JSON), 409)
    assert f"client {existing.pk}" in body["detail"]
    assert "allow_duplicate" in body["detail"]
    assert body["errors"] == [
        {"loc": ["body", "allow_duplicate"], "msg": f"possible duplicate of client {existing.pk}"}
    ]
    assert Client.objects.count() == 1
    created = send(web, "POST", "/api/v1/clients", {**NEW_JSON, "allow_duplicate": True})
    assert created.status_code == 201
    assert Client.objects.count() == 2


def test_it_creates_one_client_for_an_idempotency_key(web: WebClient, alice: User) -> None:
    headers: dict[str, Any] = {**bearer(alice), "HTTP_IDEMPOTENCY_KEY": "import-7f3a"}
    first = send(web, "POST", "/api/v1/clients", NEW_JSON, **headers)
    again = send(web, "POST", "/api/v1/clients", NEW_JSON, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] == Client.objects.get().pk
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_it_refuses_an_idempotency_key_reused_for_another_client(
    web: WebClient, alice: User
) -> None:
    headers: dict[str, Any] = {**bearer(alice), "HTTP_IDEMPOTENCY_KEY": "import-7f3a"}
    assert send(web, "POST", "/api/v1/clients", NEW_JSON, **headers).status_code == 201
    other = {**NEW_JSON, "first_name": "Ravi"}
    body = assert_error(send(web, "POST", "/api/v1/clients", other, **headers), 422)
    assert body["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert Client.objects.count() == 1


def test_it_keeps_each_users_idempotency_keys_apart(web: WebClient, alice: User, bob: User) -> None:
    key = {"HTTP_IDEMPOTENCY_KEY": "same-key"}
    assert send(web, "POST", "/api/v1/clients", NEW_JSON, **bearer(alice), **key).status_code == 201
    other = {**NEW_JSON, "first_name": "Ravi"}
    assert send(web, "POST", "/api/v1/clients", other, **bearer(bob), **key).status_code == 201
    assert Client.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "caf\u00e9"])
def test_it_refuses_an_unusable_idempotency_key(web: WebClient, alice: User, key: str) -> None:
    headers: dict[str, Any] = {**bearer(alice), "HTTP_IDEMPOTENCY_KEY": key}
    body = assert_error(send(web, "POST", "/api/v1/clients", NEW_JSON, **headers), 422)
    assert body["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Client.objects.exists()

"""Two people changing one client's details from pages or API reads older than the other's save."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients import api as clients_api
from softtissue.clients.models import Client
from softtissue.interop.api_common import clinic_object
from tests.interop.api_helpers import bearer, send
from tests.page_forms import form_values


def open_edit(web: WebClient, client: Client) -> dict[str, str]:
    url = reverse("edit_client", args=[client.pk])
    return form_values(web.get(url), "")


@pytest.fixture
def front_desk(reception: User) -> WebClient:
    other = WebClient()
    other.force_login(reception)
    return other


def test_it_keeps_both_peoples_changes_to_a_client(
    web: WebClient, alice: User, front_desk: WebClient, alices_client: Client
) -> None:
    web.force_login(alice)
    url = reverse("edit_client", args=[alices_client.pk])
    alices_page = open_edit(web, alices_client)
    desk_page = open_edit(front_desk, alices_client)
    assert web.post(url, {**alices_page, "gp_practice": "Elm Lane Surgery"}).status_code == 302
    assert front_desk.post(url, {**desk_page, "phone": "07700 900999"}).status_code == 302
    alices_client.refresh_from_db()
    assert alices_client.gp_practice == "Elm Lane Surgery"
    assert (alices_client.phone, alices_client.phone_digits) == ("07700 900999", "07700900999")


def test_it_refuses_a_stale_change_to_the_same_field(
    web: WebClient, alice: User, front_desk: WebClient, alices_client: Client
) -> None:
    web.force_login(alice)
    url = reverse("edit_client", args=[alices_client.pk])
    alices_page = open_edit(web, alices_client)
    desk_page = open_edit(front_desk, alices_client)
    web.post(url, {**alices_page, "email": "priya@work.example"})
    refused = front_desk.post(url, {**desk_page, "email": "priya@home.example"})
    assert refused.status_code == 400
    assert "last saved by Alice" in refused.content.decode()
    alices_client.refresh_from_db()
    assert alices_client.email == "priya@work.example"


def test_it_keeps_a_field_a_stale_patch_did_not_send(
    web: WebClient, alice: User, alices_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_then_colleague_saves(request: Any, model: Any, pk: int, **filters: Any) -> Any:
        row = clinic_object(request, model, pk, **filters)
        # A colleague's save lands between this request reading the client and writing it.
        Client.objects.filter(pk=pk).update(gp_name="Dr Okafor")
        return row

    monkeypatch.setattr(clients_api, "clinic_object", read_then_colleague_saves)
    response = send(
        web,
        "PATCH",
        f"/api/v1/clients/{alices_client.pk}",
        {"phone": "07700 900111"},
        **bearer(alice),
    )
    assert response.status_code == 200
    alices_client.refresh_from_db()
    assert (alices_client.phone, alices_client.gp_name) == ("07700 900111", "Dr Okafor")
    assert response.json()["gp_name"] == "Dr Okafor"

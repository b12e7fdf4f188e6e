"""Creating and editing a client: dates checked, errors beside the field, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.clients.models import Client

VALID = {
    "first_name": "Megan",
    "last_name": "Ellis",
    "date_of_birth": "14/07/1996",
    "phone": "07700 900456",
    "email": "megan@example.org",
    "gp_name": "Dr Okafor",
    "gp_practice": "Riverside Surgery",
}


def post(web: WebClient, url: str, **changes: Any) -> Any:
    return web.post(url, {**VALID, **changes})


@pytest.mark.parametrize("user", ["alice", "reception"])
def test_it_creates_a_client(web: WebClient, user: str, request: pytest.FixtureRequest) -> None:
    member: User = request.getfixturevalue(user)
    web.force_login(member)
    response = post(web, reverse("create_client"))
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == client.get_absolute_url()
    assert client.clinic == member.membership.clinic
    assert client.date_of_birth.isoformat() == "1996-07-14"
    assert client.phone_digits == "07700900456"
    assert client.gp_practice == "Riverside Surgery"


def test_it_accepts_an_iso_date(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    post(web, reverse("create_client"), date_of_birth="1996-07-14")
    assert Client.objects.get().date_of_birth.isoformat() == "1996-07-14"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "Enter a valid date."),
        ({"date_of_birth": "1899-12-31"}, "date_of_birth", "cannot be before 1900"),
        ({"date_of_birth": ""}, "date_of_birth", "This field is required."),
        ({"first_name": "   "}, "first_name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(
    web: WebClient, alice: User, changes: dict[str, str], field: str, message: str
) -> None:
    web.force_login(alice)
    response = post(web, reverse("create_client"), **changes)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert 'value="Ellis"' in response.content.decode()  # what was typed is kept
    assert not Client.objects.exists()


def test_it_refuses_a_future_date_of_birth(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(web, reverse("create_client"), date_of_birth=tomorrow)
    assert "cannot be in the future" in response.content.decode()
    assert not Client.objects.exists()


def test_it_edits_contact_details(web: WebClient, reception: User, alices_client: Client) -> None:
    web.force_login(reception)
    url = reverse("edit_client", args=[alices_client.pk])
    assert web.get(url).status_code == 200
    post(web, url, first_name="Priya", last_name="Shah", phone="+44 7700 900999")
    alices_client.refresh_from_db()
    assert alices_client.phone_digits == "07700900999"
    assert alices_client.gp_name == "Dr Okafor"


def test_it_keeps_the_stored_record_when_an_edit_fails(
    web: WebClient, alice: User, alices_client: Client
) -> None:
    web.force_login(alice)
    url = reverse("edit_client", args=[alices_client.pk])
    response = post(web, url, last_name="Changed", date_of_birth="2999-01-01")
    assert response.status_code == 400
    alices_client.refresh_from_db()
    assert alices_client.last_name == "Shah"


def test_it_refuses_an_outsider(web: WebClient, charlie: User, alices_client: Client) -> None:
    web.force_login(charlie)
    url = reverse("edit_client", args=[alices_client.pk])
    assert web.get(url).status_code == 404
    assert post(web, url, last_name="Hijacked").status_code == 404
    alices_client.refresh_from_db()
    assert alices_client.last_name == "Shah"

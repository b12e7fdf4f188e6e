"""Client fixtures: one client in Alice's clinic, and a factory for more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client, Consent

MakeClient = Callable[..., Client]


@pytest.fixture
def make_client(clinic_a: Clinic) -> MakeClient:
    def make(**fields: Any) -> Client:
        values: dict[str, Any] = {
            "clinic": clinic_a,
            "first_name": "Priya",
            "last_name": "Shah",
            "date_of_birth": date(1984, 3, 9),
        }
        values.update(fields)
        client = Client(**values)
        client.save()
        return client

    return make


@pytest.fixture
def alices_client(make_client: MakeClient) -> Client:
    return make_client(phone="07700 900123", email="Priya.Shah@example.com")


def give_consent(client: Client, kind: str = "assessment_treatment", given: bool = True) -> Consent:
    """A consent record made now."""
    return Consent.objects.create(
        clinic=client.clinic,
        client=client,
        kind=kind,
        given=given,
        method="in_person",
        signed_name=client.full_name,
        recorded_at=timezone.now(),
    )


def login(web: Any, user: User) -> None:
    web.force_login(user)

"""The database itself refuses a zero length and a second copy of an imported appointment."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from tests.appointments.conftest import at


def test_it_refuses_a_zero_length(alices_client: Client) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            clinic=alices_client.clinic,
            client=alices_client,
            starts_at=at(date(2026, 12, 1), 9),
            duration_minutes=0,
        )


def test_it_refuses_the_same_external_id_twice(alices_client: Client) -> None:
    starts = at(date(2026, 12, 1), 9)
    values: dict[str, Any] = {
        "clinic": alices_client.clinic,
        "client": alices_client,
        "starts_at": starts,
        "source": "cliniko",
        "external_id": "2311458@2026-12-01T09:00:00+00:00",
    }
    Appointment.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(**values)
    # Bookings made here have no external id, and any number of them may share one time.
    Appointment.objects.create(clinic=alices_client.clinic, client=alices_client, starts_at=starts)
    Appointment.objects.create(clinic=alices_client.clinic, client=alices_client, starts_at=starts)
    assert Appointment.objects.count() == 3

"""Appointment fixtures: a client in each clinic and a booked appointment for Alice's."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time on the given day in the clinic's time zone."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def alices_client(clinic_a: Clinic) -> Client:
    client = Client(
        clinic=clinic_a, first_name="Priya", last_name="Shah", date_of_birth=date(1984, 3, 9)
    )
    client.save()
    return client


@pytest.fixture
def charlies_client(clinic_b: Clinic) -> Client:
    client = Client(
        clinic=clinic_b, first_name="Marek", last_name="Nowak", date_of_birth=date(1970, 6, 1)
    )
    client.save()
    return client


@pytest.fixture
def appointment(alices_client: Client, alice: User) -> Appointment:
    return Appointment.objects.create(
        clinic=alices_client.clinic,
        client=alices_client,
        therapist=alice.therapist,
        starts_at=at(date(2026, 12, 1), 10),
        duration_minutes=45,
        admin_note="Parks at the back",
    )


@pytest.fixture
def charlies_appointment(charlies_client: Client, charlie: User) -> Appointment:
    return Appointment.objects.create(
        clinic=charlies_client.clinic,
        client=charlies_client,
        therapist=charlie.therapist,
        starts_at=at(date(2026, 12, 1), 11),
    )

"""Booking and changing appointments: reception may, other clinics get 404, bad input no row."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from tests.appointments.conftest import at


def booking(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "starts_at": "2026-12-03T14:30",
        "duration_minutes": "45",
        "therapist": "",
        "admin_note": "Needs the ground-floor room",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize("who", ["alice", "reception", "owner"])
def test_it_books_an_appointment(
    web: WebClient, alices_client: Client, who: str, request: pytest.FixtureRequest
) -> None:
    alice: User = request.getfixturevalue("alice")
    web.force_login(request.getfixturevalue(who))
    url = reverse("book_appointment", args=[alices_client.pk])
    assert web.get(url).status_code == 200
    response = web.post(url, booking(therapist=str(alice.therapist.pk)))
    assert response.status_code == 302
    assert response["Location"] == f"{alices_client.get_absolute_url()}#appointments"
    appointment = Appointment.objects.get()
    assert appointment.clinic_id == alices_client.clinic_id
    assert appointment.client == alices_client
    assert appointment.therapist == alice.therapist
    assert appointment.starts_at == at(date(2026, 12, 3), 14, 30)
    assert appointment.duration_minutes == 45
    assert appointment.status == "booked"
    assert appointment.source == "softtissue"


def test_it_accepts_a_uk_date_and_time(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    web.force_login(reception)
    url = reverse("book_appointment", args=[alices_client.pk])
    assert web.post(url, booking(starts_at="03/12/2026 09:15")).status_code == 302
    assert Appointment.objects.get().starts_at == at(date(2026, 12, 3), 9, 15)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "-30"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "481"}, "duration_minutes", "less than or equal to 480"),
        ({"duration_minutes": "an hour"}, "duration_minutes", "whole number"),
        ({"starts_at": ""}, "starts_at", "required"),
        ({"starts_at": "31/02/2026 10:00"}, "starts_at", "valid date/time"),
        ({"therapist": "999999"}, "therapist", "this clinic's therapists"),
        ({"admin_note": "x" * 201}, "admin_note", "at most 200"),
    ],
)
def test_it_refuses_bad_bookings(
    web: WebClient,
    reception: User,
    alices_client: Client,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    web.force_login(reception)
    response = web.post(reverse("book_appointment", args=[alices_client.pk]), booking(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Appointment.objects.exists()


def test_it_refuses_another_clinics_therapist(
    web: WebClient, reception: User, alices_client: Client, charlie: User
) -> None:
    web.force_login(reception)
    response = web.post(
        reverse("book_appointment", args=[alices_client.pk]),
        booking(therapist=str(charlie.therapist.pk)),
    )
    assert response.status_code == 400
    assert "this clinic's therapists" in response.context["form"].errors["therapist"][0]
    assert not Appointment.objects.exists()


def test_it_hides_another_clinics_client(
    web: WebClient, charlie: User, alices_client: Client
) -> None:
    web.force_login(charlie)
    url = reverse("book_appointment", args=[alices_client.pk])
    assert web.get(url).status_code == 404
    assert web.post(url, booking()).status_code == 404
    assert not Appointment.objects.exists()


def test_it_changes_the_status_and_time(
    web: WebClient, reception: User, appointment: Appointment
) -> None:
    web.force_login(reception)
    url = reverse("edit_appointment", args=[appointment.pk])
    page = web.get(url)
    assert page.status_code == 200
    assert "Did not attend" in page.content.decode()
    response = web.post(
        url,
        booking(status="did_not_attend", starts_at="2026-12-01T10:30", duration_minutes="30"),
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "did_not_attend"
    assert appointment.starts_at == at(date(2026, 12, 1), 10, 30)
    assert appointment.duration_minutes == 30
    assert appointment.therapist is None


def test_it_refuses_an_unknown_status(
    web: WebClient, reception: User, appointment: Appointment
) -> None:
    web.force_login(reception)
    url = reverse("edit_appointment", args=[appointment.pk])
    assert web.post(url, booking(status="vanished")).status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_it_hides_another_clinics_appointment(
    web: WebClient, charlie: User, appointment: Appointment
) -> None:
    web.force_login(charlie)
    url = reverse("edit_appointment", args=[appointment.pk])
    assert web.get(url).status_code == 404
    assert web.post(url, booking(status="cancelled")).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


@pytest.mark.parametrize("name", ["book_appointment", "edit_appointment", "appointment_list"])
def test_it_sends_a_visitor_to_log_in(web: WebClient, appointment: Appointment, name: str) -> None:
    args = {
        "book_appointment": [appointment.client_id],
        "edit_appointment": [appointment.pk],
        "appointment_list": [],
    }[name]
    response = web.post(reverse(name, args=args), booking(status="cancelled"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    appointment.refresh_from_db()
    assert appointment.status == "booked"
    assert Appointment.objects.count() == 1

"""The day list and the client page's appointments: one clinic's, one day's, in time order."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from tests.appointments.conftest import at


def test_it_lists_the_days_appointments_in_time_order(
    web: WebClient,
    reception: User,
    alices_client: Client,
    appointment: Appointment,
    charlies_appointment: Appointment,
) -> None:
    early = Appointment.objects.create(
        clinic=alices_client.clinic, client=alices_client, starts_at=at(date(2026, 12, 1), 8)
    )
    Appointment.objects.create(
        clinic=alices_client.clinic, client=alices_client, starts_at=at(date(2026, 12, 2), 8)
    )
    web.force_login(reception)
    response = web.get(reverse("appointment_list"), {"date": "2026-12-01"})
    assert response.status_code == 200
    assert list(response.context["appointments"]) == [early, appointment]
    page = response.content.decode()
    assert "Priya Shah" in page
    assert "Parks at the back" in page
    assert "Marek Nowak" not in page  # Charlie's clinic, same day


def test_it_counts_a_day_in_the_clinics_time_zone(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    # 23:30 in London in summer is 22:30 UTC; it belongs to the London day.
    late = Appointment.objects.create(
        clinic=alices_client.clinic, client=alices_client, starts_at=at(date(2026, 7, 1), 23, 30)
    )
    web.force_login(reception)
    response = web.get(reverse("appointment_list"), {"date": "2026-07-01"})
    assert list(response.context["appointments"]) == [late]
    response = web.get(reverse("appointment_list"), {"date": "2026-07-02"})
    assert list(response.context["appointments"]) == []


def test_it_shows_today_without_a_date(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get(reverse("appointment_list"))
    assert response.status_code == 200
    assert "No appointments on this day." in response.content.decode()


def test_it_explains_a_bad_date(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get(reverse("appointment_list"), {"date": "tomorrow"})
    assert response.status_code == 400
    assert "That date was not understood" in response.content.decode()


def test_it_links_the_list_from_the_navigation(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    page = web.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("appointment_list")}"' in page


def test_it_shows_appointments_on_the_client_page(
    web: WebClient, reception: User, alices_client: Client, appointment: Appointment
) -> None:
    web.force_login(reception)
    page = web.get(alices_client.get_absolute_url()).content.decode()
    assert 'id="appointments"' in page
    assert reverse("book_appointment", args=[alices_client.pk]) in page
    assert reverse("edit_appointment", args=[appointment.pk]) in page
    assert "Parks at the back" in page


def test_it_lists_coming_appointments_soonest_first_then_the_last_ten(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    now = timezone.now()
    coming = [
        Appointment.objects.create(
            clinic=alices_client.clinic, client=alices_client, starts_at=now + timedelta(days=d)
        )
        for d in (9, 2, 5)
    ]
    past = [
        Appointment.objects.create(
            clinic=alices_client.clinic, client=alices_client, starts_at=now - timedelta(days=d)
        )
        for d in range(1, 13)
    ]
    web.force_login(reception)
    response = web.get(alices_client.get_absolute_url())
    assert response.context["upcoming"] == sorted(coming, key=lambda a: a.starts_at)
    assert response.context["recent"] == past[:10]

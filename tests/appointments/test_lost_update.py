"""Two people changing one appointment from pages opened before either saved."""

from __future__ import annotations

from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.appointments.models import Appointment
from tests.page_forms import form_values


def test_it_keeps_both_peoples_changes_to_an_appointment(
    web: WebClient, alice: User, reception: User, appointment: Appointment
) -> None:
    url = reverse("edit_appointment", args=[appointment.pk])
    web.force_login(alice)
    alices_page = form_values(web.get(url), "")
    desk = WebClient()
    desk.force_login(reception)
    desk_page = form_values(desk.get(url), "")
    assert web.post(url, {**alices_page, "status": "attended"}).status_code == 302
    moved = {**desk_page, "admin_note": "Wheelchair access, side door"}
    assert desk.post(url, moved).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "attended"
    assert appointment.admin_note == "Wheelchair access, side door"
    assert appointment.duration_minutes == 45


def test_it_refuses_a_stale_move_of_a_moved_appointment(
    web: WebClient, alice: User, reception: User, appointment: Appointment
) -> None:
    url = reverse("edit_appointment", args=[appointment.pk])
    web.force_login(alice)
    alices_page = form_values(web.get(url), "")
    desk = WebClient()
    desk.force_login(reception)
    desk_page = form_values(desk.get(url), "")
    web.post(url, {**alices_page, "starts_at": "2026-12-01T14:00"})
    refused = desk.post(url, {**desk_page, "starts_at": "2026-12-02T09:00"})
    assert refused.status_code == 400
    assert "last saved by Alice" in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.starts_at.isoformat().startswith("2026-12-01T14:00")

"""Appointment pages: reception books and changes them, and lists a day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from softtissue.accounts.access import member_required
from softtissue.accounts.models import Clinic
from softtissue.appointments.forms import AppointmentForm, DayForm
from softtissue.appointments.models import Appointment
from softtissue.audit.edits import save_changes, track_changes
from softtissue.clients.models import Client


def form_status(form: AppointmentForm) -> int:
    """400 when a submitted form is shown again with its errors, else 200."""
    return 400 if form.is_bound and form.errors else 200


@member_required
def book_appointment(request: HttpRequest, client_id: int) -> HttpResponse:
    """Book the client in with one of the clinic's therapists."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    client = get_object_or_404(Client, pk=client_id, clinic=clinic)
    form = AppointmentForm(request.POST or None, clinic=clinic, booking=True)
    if request.method == "POST" and form.is_valid():
        appointment = form.save(commit=False)
        appointment.clinic = clinic
        appointment.client = client
        appointment.save()
        return redirect(f"{client.get_absolute_url()}#appointments")
    context = {"form": form, "client": client, "appointment": None}
    return render(request, "appointments/appointment_form.html", context, status=form_status(form))


@member_required
def edit_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move an appointment, change its therapist, or record whether the client came."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    appointment = get_object_or_404(
        Appointment.objects.select_related("client"), pk=appointment_id, clinic=clinic
    )
    form = AppointmentForm(request.POST or None, instance=appointment, clinic=clinic, booking=False)
    # Reception and therapists may change the same appointment from pages opened at other times.
    track_changes(form)
    if request.method == "POST" and form.is_valid():
        rows = Appointment.objects.filter(clinic=clinic)
        if save_changes(form, rows, appointment.pk, request.user.pk) is not None:
            return redirect(f"{appointment.client.get_absolute_url()}#appointments")
    context = {"form": form, "client": appointment.client, "appointment": appointment}
    return render(request, "appointments/appointment_form.html", context, status=form_status(form))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of the day and of the next one, in the clinic's time zone."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


@member_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    """One day's appointments across the clinic, in time order (?date=YYYY-MM-DD)."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    form = DayForm(request.GET)
    error = "" if form.is_valid() else " ".join(str(e) for e in form.errors.get("date", []))
    day = (form.cleaned_data.get("date") if not error else None) or timezone.localdate()
    start, end = day_bounds(day)
    appointments = (
        Appointment.objects.filter(clinic=clinic, starts_at__gte=start, starts_at__lt=end)
        .select_related("client", "therapist__user")
        .order_by("starts_at", "pk")
    )
    context = {
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "appointments": appointments,
        "error": error,
    }
    return render(
        request, "appointments/appointment_list.html", context, status=400 if error else 200
    )

"""The client page's appointments card, fetched by the card itself so the page view stays small."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client

register = template.Library()
RECENT = 10
SHOWN = 40


@register.inclusion_tag("appointments/_client_appointments_card.html")
def client_appointments(client: Client) -> dict[str, Any]:
    """The client's coming appointments (soonest first), then the last few that have passed."""
    now = timezone.now()
    # One query for both lists, so the client page keeps its fixed query count: coming ones
    # first in time order, then past ones newest first.
    rows = (
        Appointment.objects.filter(clinic_id=client.clinic_id, client=client)
        .select_related("therapist__user")
        .annotate(
            past=Case(
                When(starts_at__lt=now, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            coming_at=Case(When(starts_at__gte=now, then=F("starts_at"))),
        )
        .order_by("past", F("coming_at").asc(nulls_last=True), "-starts_at", "-pk")[:SHOWN]
    )
    upcoming = [row for row in rows if row.starts_at >= now]
    recent = [row for row in rows if row.starts_at < now][:RECENT]
    return {"client": client, "upcoming": upcoming, "recent": recent}

"""How long a client's record must be kept: a pure function, and the clinic-wide report.

Default policy (docs/privacy.md): kept until the later of N years after the last treatment or
attended appointment, and the client's Mth birthday (N = SOFTTISSUE_RETENTION_YEARS, 7;
M = SOFTTISSUE_RETENTION_CHILD_AGE, 25).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.appointments.models import Appointment
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.privacy.models import LegalHold
from softtissue.treatments.models import TreatmentNote


@dataclass(frozen=True, slots=True)
class Retention:
    """The earliest day a record may be erased, and why that day."""

    erase_from: date
    last_activity: date
    reason: str


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March (the later day: keep longer)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def retention(
    date_of_birth: date,
    activity: list[date | None],
    record_created: date,
    years: int,
    child_age: int,
) -> Retention:
    """Earliest erasure: the later of `years` after the last activity and the `child_age` birthday.

    With no treatment, appointment or episode yet, the record's creation (the intake and
    consultation, which insurers also want kept) counts as the last activity.
    """
    known = [day for day in activity if day is not None]
    last = max(known) if known else record_created
    after_treatment = add_years(last, years)
    birthday = add_years(date_of_birth, child_age)
    what = "last treatment" if known else "record was opened"
    if birthday > after_treatment:
        return Retention(birthday, last, f"kept until the client's {child_age}th birthday")
    return Retention(after_treatment, last, f"kept {years} years after the {what} ({last})")


def policy() -> tuple[int, int]:
    """The configured (years after last treatment, child age) pair."""
    return settings.SOFTTISSUE_RETENTION_YEARS, settings.SOFTTISSUE_RETENTION_CHILD_AGE


def local_day(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


def client_retention(client: Client) -> Retention:
    """The retention of one client's record, from what is stored."""
    return clinic_retentions(client.clinic, [client.pk])[client.pk]


def clinic_retentions(clinic: Clinic, client_ids: list[int] | None = None) -> dict[int, Retention]:
    """Every (or the given) client's retention: four grouped queries, whatever the count."""
    years, child_age = policy()
    clients = Client.objects.filter(clinic=clinic)
    notes = TreatmentNote.objects.filter(clinic=clinic, status=TreatmentNote.Status.SIGNED)
    attended = Appointment.objects.filter(clinic=clinic, status=Appointment.Status.ATTENDED)
    episodes = Episode.objects.filter(clinic=clinic)
    if client_ids is not None:
        clients = clients.filter(pk__in=client_ids)
        notes = notes.filter(episode__client_id__in=client_ids)
        attended = attended.filter(client_id__in=client_ids)
        episodes = episodes.filter(client_id__in=client_ids)
    activity: dict[int, list[date | None]] = {}
    for client_id, last in notes.values_list("episode__client_id").annotate(m=Max("session_date")):
        activity.setdefault(client_id, []).append(last)
    for client_id, starts in attended.values_list("client_id").annotate(m=Max("starts_at")):
        activity.setdefault(client_id, []).append(local_day(starts))
    for client_id, opened, closed in episodes.values_list("client_id").annotate(
        o=Max("opened_at"), c=Max("discharged_at")
    ):
        activity.setdefault(client_id, []).extend([local_day(opened), local_day(closed)])
    return {
        pk: retention(born, activity.get(pk, []), timezone.localdate(created), years, child_age)
        for pk, born, created in clients.values_list("pk", "date_of_birth", "created_at")
    }


@dataclass(frozen=True, slots=True)
class DueRecord:
    """A client whose record may now be erased."""

    client_id: int
    name: str
    retention: Retention


def due_for_erasure(clinic: Clinic, today: date) -> list[DueRecord]:
    """Records past their retention date and under no active legal hold, oldest first."""
    held = set(
        LegalHold.objects.filter(clinic=clinic, lifted_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    due = {
        pk: kept
        for pk, kept in clinic_retentions(clinic).items()
        if kept.erase_from <= today and pk not in held
    }
    names = dict(
        (pk, f"{first} {last}")
        for pk, first, last in Client.objects.filter(pk__in=due).values_list(
            "pk", "first_name", "last_name"
        )
    )
    rows = [DueRecord(pk, names[pk], kept) for pk, kept in due.items()]
    return sorted(rows, key=lambda row: (row.retention.erase_from, row.client_id))

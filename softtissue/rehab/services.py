"""Building a programme, its client link and adherence: load, check, save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q

from softtissue.accounts.models import Therapist, User
from softtissue.assessments.models import Episode
from softtissue.rehab.catalogue import exercises
from softtissue.rehab.models import AdherenceLog, PrescribedExercise, Programme, ProgrammeLink
from softtissue.tokens import new_token


class UnknownExerciseError(ValueError):
    """The exercise id is not in the knowledge base."""


@transaction.atomic
def prescribe(
    episode: Episode, therapist: Therapist | None, exercise_id: str, phase: int, dosage: str
) -> PrescribedExercise:
    """Add a knowledge-base exercise to the episode's programme (created on first use)."""
    exercise = exercises().get(exercise_id)
    if exercise is None:
        raise UnknownExerciseError(
            f"{exercise_id!r} is not an exercise in the knowledge base: choose one from the list."
        )
    programme, _ = Programme.objects.get_or_create(
        episode=episode, defaults={"clinic_id": episode.clinic_id, "therapist": therapist}
    )
    last = programme.exercises.aggregate(last=Max("order"))["last"]
    return PrescribedExercise.objects.create(
        clinic_id=episode.clinic_id,
        programme=programme,
        exercise=exercise.id,
        phase=phase,
        dosage=dosage.strip() or exercise.dosage,
        order=0 if last is None else last + 1,
    )


@transaction.atomic
def move(prescribed: PrescribedExercise, step: int) -> None:
    """Swap the exercise with its neighbour above (step -1) or below (step 1); no-op at an end."""
    rows = list(
        PrescribedExercise.objects.select_for_update().filter(programme_id=prescribed.programme_id)
    )
    index = next(i for i, row in enumerate(rows) if row.pk == prescribed.pk)
    other = index + step
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        if row.order != position:
            row.order = position
            row.save(update_fields=["order"])


def create_link(programme: Programme, created_by: User, days: int, now: datetime) -> str:
    """A new read-only link for the client; the token is returned once and never stored."""
    token, hashed = new_token()
    ProgrammeLink.objects.create(
        clinic_id=programme.clinic_id,
        programme=programme,
        token_hash=hashed,
        created_at=now,
        expires_at=now + timedelta(days=days),
        created_by=created_by,
    )
    return token


def record_session(prescribed: PrescribedExercise, day: date, done: bool) -> AdherenceLog:
    """Mark the day's session of one exercise done or not; the same day is only ever one row."""
    log, _ = AdherenceLog.objects.update_or_create(
        prescribed=prescribed,
        day=day,
        defaults={"clinic_id": prescribed.clinic_id, "done": done},
    )
    return log


@dataclass(frozen=True, slots=True)
class Adherence:
    """Sessions done of one prescribed exercise in the last 7 and 28 days (today included)."""

    last_7: int
    last_28: int


def adherence(programme: Programme, today: date) -> dict[int, Adherence]:
    """Adherence of every exercise in the programme, by prescribed exercise id."""
    done = Q(logs__done=True, logs__day__lte=today)
    rows = programme.exercises.annotate(
        last_7=Count("logs", filter=done & Q(logs__day__gt=today - timedelta(days=7))),
        last_28=Count("logs", filter=done & Q(logs__day__gt=today - timedelta(days=28))),
    )
    return {row.pk: Adherence(row.last_7, row.last_28) for row in rows}


def done_on(programme: Programme, day: date) -> set[int]:
    """Ids of the programme's exercises marked done on the day."""
    return set(
        AdherenceLog.objects.filter(
            prescribed__programme=programme, day=day, done=True
        ).values_list("prescribed_id", flat=True)
    )

"""API operations for rehab programmes: knowledge-base exercises with dosage, and adherence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from softtissue.assessments.models import Episode
from softtissue.assessments.views import current_therapist
from softtissue.interop.api_common import (
    ERRORS,
    BoundedPagination,
    ErrorOut,
    StrictIn,
    clinic_object,
    invalid,
    require_clinical,
    require_write,
)
from softtissue.limits import ParagraphText
from softtissue.rehab.catalogue import exercises
from softtissue.rehab.forms import AddExerciseForm
from softtissue.rehab.models import MAX_PHASE, PrescribedExercise, Programme
from softtissue.rehab.services import adherence, prescribe

router = Router(tags=["rehab programmes"])

MAX_EXERCISES = 50


class ExerciseIn(StrictIn):
    exercise: str = Field(max_length=100, description="Knowledge id, e.g. exercise.chin-tuck")
    phase: int = Field(1, ge=1, le=MAX_PHASE)
    dosage: str = Field(
        "", max_length=200, description="Left out: the knowledge base's usual dosage"
    )


class ProgrammeIn(StrictIn):
    notes: ParagraphText = Field("", description="Printed on the client's sheet")
    exercises: list[ExerciseIn] = Field(min_length=1, max_length=MAX_EXERCISES)


class PrescribedOut(Schema):
    id: int
    exercise: str
    name: str
    region: str
    phase: int
    dosage: str
    order: int

    @staticmethod
    def resolve_name(prescribed: PrescribedExercise) -> str:
        known = exercises().get(prescribed.exercise)
        return known.name if known else prescribed.exercise

    @staticmethod
    def resolve_region(prescribed: PrescribedExercise) -> str:
        known = exercises().get(prescribed.exercise)
        return known.region if known else ""


class ProgrammeOut(Schema):
    id: int
    episode_id: int
    therapist_id: int | None
    created_at: datetime
    notes: str
    exercises: list[PrescribedOut]

    @staticmethod
    def resolve_exercises(programme: Programme) -> Any:
        return programme.exercises.all()


class ExerciseAdherenceOut(Schema):
    id: int = Field(description="The prescribed exercise")
    exercise: str
    last_7: int = Field(description="Sessions done in the last 7 days, today included")
    last_28: int = Field(description="Sessions done in the last 28 days, today included")


class AdherenceOut(Schema):
    programme_id: int
    today: date
    exercises: list[ExerciseAdherenceOut]


def own_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return Programme.objects.filter(clinic=request.clinic).prefetch_related("exercises")  # type: ignore[attr-defined]


@router.get(
    "/episodes/{episode_id}/programmes",
    response={200: list[ProgrammeOut], **ERRORS},
    url_name="list_programmes",
)
@paginate(BoundedPagination)
def list_programmes(request: HttpRequest, episode_id: int) -> Any:
    """The episode's home exercise programme: an episode has one, or none yet."""
    require_clinical(request)
    episode = clinic_object(request, Episode, episode_id)
    return own_programmes(request).filter(episode=episode)


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, **ERRORS},
    url_name="get_programme",
)
def get_programme(request: HttpRequest, programme_id: int) -> Programme:
    """A programme with its exercises in order, each with its phase and dosage."""
    require_clinical(request)
    clinic_object(request, Programme, programme_id)
    return own_programmes(request).get(pk=programme_id)


def checked(rows: list[ExerciseIn]) -> list[dict[str, Any]]:
    """Each row as the web builder's form cleans it; 422 naming every unknown exercise."""
    # Located as ninja locates its own errors, so the API's error handler reshapes both alike.
    forms = [AddExerciseForm(row.model_dump()) for row in rows]
    errors = [
        {"loc": ["body", "payload", "exercises", i, name], "msg": message}
        for i, form in enumerate(forms)
        if not form.is_valid()
        for name, messages in form.errors.items()
        for message in messages
    ]
    if errors:
        raise ValidationError(errors)
    return [form.cleaned_data for form in forms]


@router.post(
    "/episodes/{episode_id}/programmes",
    response={201: ProgrammeOut, **ERRORS, 409: ErrorOut},
    url_name="create_programme",
)
def create_programme(request: HttpRequest, episode_id: int, payload: ProgrammeIn) -> Status[Any]:
    """Start the episode's programme with these exercises from the knowledge base, in order."""
    require_clinical(request)
    require_write(request)
    episode = clinic_object(request, Episode, episode_id)
    rows = checked(payload.exercises)
    therapist = current_therapist(request)
    exists = Programme.objects.filter(clinic=episode.clinic_id, episode=episode).first()
    if exists is not None:
        raise HttpError(
            409, f"This episode already has programme {exists.pk}: add exercises to it."
        )
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                clinic_id=episode.clinic_id,
                episode=episode,
                therapist=therapist,
                notes=payload.notes,
            )
            for row in rows:
                prescribe(episode, therapist, row["exercise"], row["phase"], row["dosage"])
    except IntegrityError:
        # Another request started the programme between the check and the insert.
        raise HttpError(409, "This episode already has a programme: add exercises to it.") from None
    return Status(201, own_programmes(request).get(pk=programme.pk))


@router.post(
    "/programmes/{programme_id}/exercises",
    response={201: PrescribedOut, **ERRORS},
    url_name="add_exercise",
)
def add_exercise(
    request: HttpRequest, programme_id: int, payload: ExerciseIn
) -> Status[PrescribedExercise]:
    """Add one knowledge-base exercise at the end of the programme."""
    require_clinical(request)
    require_write(request)
    programme = clinic_object(request, Programme, programme_id)
    form = AddExerciseForm(payload.model_dump())
    if not form.is_valid():
        invalid(form)
    data = form.cleaned_data
    prescribed = prescribe(
        programme.episode,
        current_therapist(request),
        data["exercise"],
        data["phase"],
        data["dosage"],
    )
    return Status(201, prescribed)


@router.get(
    "/programmes/{programme_id}/adherence",
    response={200: AdherenceOut, **ERRORS},
    url_name="get_adherence",
)
def get_adherence(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    """Sessions the client ticked off for each exercise in the last 7 and 28 days."""
    require_clinical(request)
    programme = clinic_object(request, Programme, programme_id)
    today = timezone.localdate()
    counts = adherence(programme, today)
    return {
        "programme_id": programme.pk,
        "today": today,
        "exercises": [
            {
                "id": prescribed.pk,
                "exercise": prescribed.exercise,
                "last_7": counts[prescribed.pk].last_7,
                "last_28": counts[prescribed.pk].last_28,
            }
            for prescribed in programme.exercises.all()
        ],
    }

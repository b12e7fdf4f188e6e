"""API operations for outcome measures: definitions, scoring, and administrations in an episode."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from softtissue.assessments.models import Episode
from softtissue.interop.api_common import (
    ERRORS,
    BoundedPagination,
    StrictIn,
    clinic_object,
    require_clinical,
    require_write,
)
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import definitions, record_administration, score_answers
from softtissue.reasoning.measures import AnswerError

router = Router(tags=["outcome measures"])


class MeasureOut(Schema):
    id: str
    name: str
    description: str
    items: int
    direction: str
    range_min: float
    range_max: float
    mcid: float | None
    mcid_criterion: str | None
    licence: str
    reproduce_items: bool


# More than the longest questionnaire has items (KOOS: 42); the measure checks the count.
MAX_ANSWERS = 100


class AnswersIn(StrictIn):
    answers: list[int | None] = Field(max_length=MAX_ANSWERS)


class SubScoreOut(Schema):
    score: float | None
    scorable: bool
    band: str | None
    reason: str | None


class ScoreOut(Schema):
    measure: str
    score: float | None
    scorable: bool
    band: str | None
    reason: str | None
    subscales: dict[str, SubScoreOut]


class AdministrationIn(StrictIn):
    measure: str = Field(max_length=40)
    answers: list[int | None] = Field(max_length=MAX_ANSWERS)


class AdministrationOut(Schema):
    id: int
    episode_id: int
    measure: str
    answers: list[int | None]
    score: float | None
    scorable: bool
    band: str
    reason: str
    subscales: dict[str, SubScoreOut]
    administered_at: datetime
    client_reported: bool


def own_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The clinic's episode, for a clinician."""
    require_clinical(request)
    return clinic_object(request, Episode, episode_id)


def known(measure: str) -> str:
    """The measure's key, or 404 for a measure softtissue does not score."""
    key = measure.removeprefix("measure.")
    if key not in definitions():
        raise HttpError(404, f"Unknown outcome measure {measure!r}")
    return key


@router.get("/measures", response={200: list[MeasureOut], **ERRORS}, url_name="list_measures")
def list_measures(request: HttpRequest) -> list[dict[str, Any]]:
    """Every outcome measure softtissue scores, with its range and clinically important change."""
    require_clinical(request)
    return [
        {
            "id": key,
            "name": d.name,
            "description": d.description,
            "items": len(d.items),
            "direction": d.direction,
            "range_min": d.range_min,
            "range_max": d.range_max,
            "mcid": d.mcid.value if d.mcid else None,
            "mcid_criterion": d.mcid.criterion if d.mcid else None,
            "licence": d.licence.name,
            "reproduce_items": d.licence.reproduce_items,
        }
        for key, d in sorted(definitions().items())
    ]


@router.post(
    "/measures/{measure}/score",
    response={200: ScoreOut, **ERRORS},
    url_name="score_answers",
)
def score_measure(request: HttpRequest, measure: str, payload: AnswersIn) -> dict[str, object]:
    """Score answers (official item order, null for a missing item) without saving them."""
    require_clinical(request)
    try:
        return score_answers(known(measure), payload.answers).as_json()
    except AnswerError as error:
        raise HttpError(400, str(error)) from None


@router.get(
    "/episodes/{episode_id}/measures",
    response={200: list[AdministrationOut], **ERRORS},
    url_name="list_administrations",
)
@paginate(BoundedPagination)
def list_administrations(request: HttpRequest, episode_id: int) -> Any:
    """The measures given in an episode, oldest first."""
    episode = own_episode(request, episode_id)
    return MeasureAdministration.objects.filter(episode=episode, clinic=episode.clinic_id)


@router.post(
    "/episodes/{episode_id}/measures",
    response={201: AdministrationOut, **ERRORS},
    url_name="record_administration",
)
def record_measure(
    request: HttpRequest, episode_id: int, payload: AdministrationIn
) -> Status[MeasureAdministration]:
    """Score and keep a completed questionnaire in the episode."""
    require_write(request)
    episode = own_episode(request, episode_id)
    try:
        administration = record_administration(
            episode,
            known(payload.measure),
            payload.answers,
            entered_by=request.user,  # type: ignore[arg-type]
        )
    except AnswerError as error:
        raise HttpError(400, str(error)) from None
    return Status(201, administration)

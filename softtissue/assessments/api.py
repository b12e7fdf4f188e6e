"""API operations for episodes, assessments and the reasoning panel: clinical, so not reception."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from softtissue.accounts.facts import fetch_facts
from softtissue.assessments.forms import DischargeForm, EpisodeForm, HistoryForm, ImpressionForm
from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.panel import (
    Panel,
    assessment_findings,
    load_records,
    reasoning_panel,
)
from softtissue.assessments.questions import kb
from softtissue.assessments.views import current_therapist
from softtissue.clients.consent import has_consent
from softtissue.clients.models import Client
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

router = Router(tags=["episodes and assessments"])

FindingValue = bool | int | float | str
# A state the record is in forbids the change (already discharged, no consent): 409.
CONFLICT = {409: ErrorOut}


class EpisodeOut(Schema):
    """An episode of care: one presenting problem from opening to discharge."""

    id: int
    client_id: int
    therapist_id: int | None
    presenting_problem: str
    region: str
    opened_at: datetime
    discharged_at: datetime | None
    discharge_reason: str
    condition: str = Field(description="The working impression being treated (a condition id).")
    is_open: bool


class EpisodeIn(StrictIn):
    """Open an episode: the problem in the client's words and a knowledge region id."""

    presenting_problem: ParagraphText
    region: str = Field(max_length=60)


class ImpressionIn(StrictIn):
    """The condition the therapist is treating, from the region's conditions ('' to clear)."""

    condition: str = Field(max_length=100)


class DischargeIn(StrictIn):
    """Why the episode ends."""

    reason: ParagraphText


class AssessmentOut(Schema):
    """An assessment's subjective history and notes."""

    id: int
    episode_id: int
    therapist_id: int | None
    kind: str
    started_at: datetime
    onset: str
    mechanism: str
    symptom_duration_weeks: int | None
    aggravating: str
    easing: str
    pattern_24h: str
    irritability: str
    previous_episodes: bool | None
    general_health: str
    goals: str
    observation_notes: str
    palpation_notes: str


class AssessmentIn(StrictIn):
    """Start an assessment, optionally with its subjective history."""

    onset: str = Field("", max_length=20)
    mechanism: ParagraphText = ""
    symptom_duration_weeks: int | None = None
    aggravating: ParagraphText = ""
    easing: ParagraphText = ""
    pattern_24h: ParagraphText = ""
    irritability: str = Field("", max_length=20)
    previous_episodes: bool | None = None
    general_health: ParagraphText = ""
    goals: ParagraphText = ""


class MarkOut(Schema):
    """A body-chart mark."""

    id: int
    area: str
    view: str
    side: str
    symptom: str
    intensity: int
    depth: str


class MovementOut(Schema):
    """A range-of-motion measurement and how far it falls short."""

    movement_id: str
    side: str
    degrees: int
    painful: bool
    below_normal_by: int | None
    below_other_side_by: int | None


class TestResultOut(Schema):
    """A special test's result."""

    test_id: str
    name: str
    result: str


class AssessmentDetailOut(AssessmentOut):
    """An assessment with everything recorded in it and the findings the core reasons over."""

    findings: dict[str, FindingValue]
    body_chart: list[MarkOut]
    range_of_motion: list[MovementOut]
    special_tests: list[TestResultOut]


class FlagOut(Schema):
    """A red flag that fired, and the findings that fired it."""

    rule_id: str
    name: str
    urgency: str
    message: str
    referral: str
    because: list[str]
    sources: list[str]


class TriageOut(Schema):
    """The worst urgency among the red flags, and the flags."""

    urgency: str
    flags: list[FlagOut]


class ContraindicationOut(Schema):
    """A contraindication and the techniques and regions it limits."""

    id: str
    name: str
    tier: str
    outcome: str
    techniques: list[str]
    regions: list[str]
    action: str
    because: list[str]
    sources: list[str]


class MovementOfOdds(Schema):
    """A finding (or a published cluster, by its id) that moved a candidate, by its LR."""

    finding: str
    value: FindingValue
    lr: float
    sources: list[str]


class SetAsideOut(Schema):
    """A recorded finding whose likelihood ratio was not applied, and why."""

    finding: str
    value: FindingValue
    lr: float
    sources: list[str]
    why: str


class CandidateOut(Schema):
    """A working-impression candidate; `percent` is null unless every LR behind it is published."""

    condition: str
    name: str
    probability: float
    prior: float
    prior_basis: str
    strength: str
    percent: int | None
    mostly_expert_estimate: bool
    because: list[MovementOfOdds]
    set_aside: list[SetAsideOut]
    sources: list[str]


class DifferentialOut(Schema):
    """The working impression: candidates with probabilities, never a diagnosis."""

    label: str
    enough_information: bool
    message: str
    candidates: list[CandidateOut]
    # True when the caller's qualification excludes forming a working impression (Level 3).
    withheld: bool


class ReasoningScopeItemOut(Schema):
    """One check of the scope decision."""

    subject: str
    outcome: str
    reason: str
    because: list[str]
    sources: list[str]


class ReasoningScopeOut(Schema):
    """The caller's scope to treat the leading candidate."""

    outcome: str
    overridable: bool
    referral: str | None
    items: list[ReasoningScopeItemOut]


class WarningSignsOut(Schema):
    """Signs that send the client for help, and where to go."""

    band: str
    where: str
    signs: list[str]


class SafetyNetOut(Schema):
    """What to tell the client when nothing stops treatment, and when to come back."""

    id: str
    name: str
    tell: str
    seek_help: list[WarningSignsOut]
    review: str
    sources: list[str]


class ReasoningOut(Schema):
    """What the assessment page's reasoning panel shows, for the caller."""

    findings: dict[str, FindingValue]
    triage: TriageOut
    contraindications: list[ContraindicationOut]
    differential: DifferentialOut
    scope: ReasoningScopeOut | None
    scope_reason: str
    unanswered: list[str]
    safety_nets: list[SafetyNetOut]


def own_client(request: HttpRequest, client_id: int) -> Client:
    """The clinic's client, for a clinician."""
    require_clinical(request)
    return clinic_object(request, Client, client_id)


def own_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The clinic's episode with its client, for a clinician."""
    require_clinical(request)
    return clinic_object(request, Episode.objects.select_related("client"), episode_id)


def own_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    """The clinic's assessment with its episode and client, for a clinician."""
    require_clinical(request)
    queryset = Assessment.objects.select_related("episode__client")
    return clinic_object(request, queryset, assessment_id)


@router.get(
    "/clients/{client_id}/episodes",
    response={200: list[EpisodeOut], **ERRORS},
    url_name="list_episodes",
)
@paginate(BoundedPagination)
def list_episodes(request: HttpRequest, client_id: int) -> QuerySet[Episode]:
    """The client's episodes, newest first."""
    client = own_client(request, client_id)
    return Episode.objects.filter(clinic_id=client.clinic_id, client=client)


@router.post(
    "/clients/{client_id}/episodes",
    response={201: EpisodeOut, **ERRORS},
    url_name="open_episode",
)
def open_episode(request: HttpRequest, client_id: int, payload: EpisodeIn) -> Status[Episode]:
    """Open an episode of care for a new presenting problem."""
    require_write(request)
    client = own_client(request, client_id)
    form = EpisodeForm(payload.model_dump())
    if not form.is_valid():
        invalid(form)
    episode = form.save(commit=False)
    episode.clinic_id = client.clinic_id
    episode.client = client
    episode.therapist = current_therapist(request)
    episode.save()
    return Status(201, episode)


@router.get("/episodes/{episode_id}", response={200: EpisodeOut, **ERRORS}, url_name="get_episode")
def get_episode(request: HttpRequest, episode_id: int) -> Episode:
    """One episode."""
    return own_episode(request, episode_id)


@router.post(
    "/episodes/{episode_id}/impression",
    response={200: EpisodeOut, **ERRORS},
    url_name="record_impression",
)
def record_impression(request: HttpRequest, episode_id: int, payload: ImpressionIn) -> Episode:
    """Record which of the region's conditions the therapist is treating."""
    require_write(request)
    episode = own_episode(request, episode_id)
    form = ImpressionForm(episode.region, payload.model_dump())
    if not form.is_valid():
        invalid(form)
    episode.condition = form.cleaned_data["condition"]
    episode.save(update_fields=["condition"])
    return episode


@router.post(
    "/episodes/{episode_id}/discharge",
    response={200: EpisodeOut, **CONFLICT, **ERRORS},
    url_name="discharge_episode",
)
def discharge_episode(request: HttpRequest, episode_id: int, payload: DischargeIn) -> Episode:
    """Close the episode with the reason; an episode is discharged once."""
    require_write(request)
    with transaction.atomic():
        episode = own_episode(request, episode_id)
        form = DischargeForm(payload.model_dump())
        if not form.is_valid():
            invalid(form)
        # Locked, so two discharges at once cannot both write a reason.
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        if not locked.is_open:
            raise HttpError(409, "This episode was already discharged.")
        episode.discharged_at = timezone.now()
        episode.discharge_reason = form.cleaned_data["reason"]
        episode.save(update_fields=["discharged_at", "discharge_reason"])
    return episode


@router.get(
    "/episodes/{episode_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    url_name="list_assessments",
)
@paginate(BoundedPagination)
def list_assessments(request: HttpRequest, episode_id: int) -> QuerySet[Assessment]:
    """The episode's assessments, newest first."""
    episode = own_episode(request, episode_id)
    return Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode)


@router.post(
    "/episodes/{episode_id}/assessments",
    response={201: AssessmentOut, **CONFLICT, **ERRORS},
    url_name="create_assessment",
)
def create_assessment(
    request: HttpRequest, episode_id: int, payload: AssessmentIn
) -> Status[Assessment]:
    """Start an assessment (initial, then re-assessments), with consent and an open episode."""
    require_write(request)
    episode = own_episode(request, episode_id)
    if not has_consent(episode.client, "assessment_treatment"):
        raise HttpError(
            409,
            "The client has not consented to assessment and treatment: record their consent "
            "before starting an assessment.",
        )
    if not episode.is_open:
        raise HttpError(409, "This episode is discharged: open a new episode to assess.")
    data = {k: "" if v is None else v for k, v in payload.model_dump().items()}
    data["previous_episodes"] = {True: "true", False: "false", None: ""}[payload.previous_episodes]
    form = HistoryForm(data, instance=Assessment(clinic_id=episode.clinic_id, episode=episode))
    if not form.is_valid():
        invalid(form)
    with transaction.atomic():
        earlier = Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode).exists()
        assessment = form.save(commit=False)
        assessment.therapist = current_therapist(request)
        assessment.kind = Assessment.Kind.REASSESSMENT if earlier else Assessment.Kind.INITIAL
        assessment.save()
    return Status(201, assessment)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetailOut, **ERRORS},
    url_name="get_assessment",
)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """An assessment with its findings, body chart, range of motion and special tests."""
    assessment = own_assessment(request, assessment_id)
    records = load_records(assessment)
    deficits = records.deficits()
    tests = kb().special_tests
    return {
        **{name: getattr(assessment, name) for name in AssessmentOut.model_fields},
        "findings": assessment_findings(records, timezone.localdate()),
        "body_chart": records.marks,
        "range_of_motion": [
            {
                "movement_id": m.movement_id,
                "side": m.side,
                "degrees": m.degrees,
                "painful": m.painful,
                "below_normal_by": deficits[(m.movement_id, m.side)].below_normal_by,
                "below_other_side_by": deficits[(m.movement_id, m.side)].below_other_side_by,
            }
            for m in records.movements
        ],
        "special_tests": [
            {
                "test_id": t.test_id,
                "name": str(tests[t.test_id]["name"]) if t.test_id in tests else t.test_id,
                "result": t.result,
            }
            for t in records.tests
        ],
    }


@router.get(
    "/assessments/{assessment_id}/reasoning",
    response={200: ReasoningOut, **ERRORS},
    url_name="get_reasoning",
)
def get_reasoning(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """Triage, contraindications, the working impression and a scope preview for the caller."""
    assessment = own_assessment(request, assessment_id)
    today = timezone.localdate()
    panel = reasoning_panel(
        load_records(assessment), fetch_facts(current_therapist(request), today), today
    )
    return reasoning_json(panel)


def reasoning_json(panel: Panel) -> dict[str, Any]:
    """The panel as ReasoningOut expects it, with the red flags' names from the knowledge."""
    rules = kb().red_flags
    return {
        "findings": panel.findings,
        "triage": {
            "urgency": panel.triage.urgency,
            "flags": [
                {
                    "rule_id": flag.rule_id,
                    "name": str(rules[flag.rule_id]["name"]),
                    "urgency": flag.urgency,
                    "message": flag.message,
                    "referral": flag.referral,
                    "because": flag.because,
                    "sources": flag.sources,
                }
                for flag in panel.triage.flags
            ],
        },
        "contraindications": panel.contraindications,
        "differential": panel.differential,
        "scope": panel.scope,
        "scope_reason": panel.scope_reason,
        "unanswered": panel.unanswered,
        "safety_nets": panel.safety_nets,
    }

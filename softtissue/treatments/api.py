"""API operations for plans behind the scope gate, and SOAP notes: draft, sign, addenda."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, NoReturn

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.assessments.views import current_therapist
from softtissue.interop.api_common import (
    ERRORS,
    BoundedPagination,
    ErrorOut,
    StrictIn,
    clinic_object,
    require_clinical,
    require_write,
)
from softtissue.limits import ParagraphText, SoapText
from softtissue.treatments import gate, services, signing
from softtissue.treatments.forms import (
    NoteForm,
    OverrideForm,
    PlanForm,
    TechniqueRows,
    technique_rows,
)
from softtissue.treatments.models import (
    Addendum,
    SignedRecordError,
    TreatmentNote,
    TreatmentPlan,
    review_date_problem,
    session_date_problem,
)
from softtissue.treatments.models import ScopeDecision as ScopeRecord
from softtissue.treatments.views import note_verdict, technique_name

router = Router(tags=["treatment plans and notes"])

# The scope gate and signed records answer 409: the request was well formed, the record refuses.
REFUSALS: dict[int, Any] = {**ERRORS, 409: ErrorOut}
MAX_ROWS = 30  # as the web form's technique rows (max_num)
# Where a problem in the JSON body sits, as ninja places its own: the API's error handler
# reshapes both alike.
BODY = ("body", "payload")


def _session_day(day: date) -> date:
    # The episode's opening day is the form's to check (the schema does not know the episode).
    problem = session_date_problem(day, None, timezone.localdate())
    if problem:
        raise PydanticCustomError("session_date", problem)
    return day


def _review_day(day: date) -> date:
    problem = review_date_problem(day, timezone.localdate())  # the plan is made today
    if problem:
        raise PydanticCustomError("review_date", problem)
    return day


SessionDay = Annotated[date, AfterValidator(_session_day)]
ReviewDay = Annotated[date, AfterValidator(_review_day)]


def refuse(*bound: forms.BaseForm | forms.BaseFormSet[Any]) -> NoReturn:
    """Answer 422 with what the web forms refused, each at its place in the JSON body."""
    errors: list[dict[str, Any]] = []
    for item in bound:
        if isinstance(item, forms.BaseFormSet):
            errors += [
                {"loc": [*BODY, "techniques", i, name], "msg": message}
                for i, row in enumerate(item.forms)
                for name, messages in row.errors.items()
                for message in messages
            ]
            errors += [{"loc": [*BODY, "techniques"], "msg": m} for m in item.non_form_errors()]
        else:
            errors += [
                {"loc": [*BODY, *([] if name == NON_FIELD_ERRORS else [name])], "msg": message}
                for name, messages in item.errors.items()
                for message in messages
            ]
    raise ValidationError(errors)


def rows_data(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """The technique rows as the web formset's POST data."""
    rows = list(rows)
    data = {
        "techniques-TOTAL_FORMS": str(len(rows)),
        "techniques-INITIAL_FORMS": "0",
        "techniques-MIN_NUM_FORMS": "0",
        "techniques-MAX_NUM_FORMS": str(MAX_ROWS),
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"techniques-{i}-{name}"] = value
    return data


class PlanTechniqueIn(StrictIn):
    technique: str = Field(
        min_length=1, max_length=100, description="Knowledge id, e.g. technique.effleurage"
    )
    region: str = Field(min_length=1, max_length=60, description="Knowledge id, e.g. region.elbow")


class PlanIn(StrictIn):
    goals: ParagraphText = Field(min_length=1)
    condition: str = Field("", max_length=100, description="Knowledge id of the condition treated")
    condition_category: str = Field("", max_length=100, description="Or a condition category id")
    frequency: str = Field(min_length=1, max_length=100)
    review_on: ReviewDay = Field(
        description="From the day the plan is made (today) to 2 years later"
    )
    techniques: list[PlanTechniqueIn] = Field(default=[], max_length=MAX_ROWS)


class TechniqueOut(Schema):
    technique: str
    name: str
    region: str


class ScopeItemOut(Schema):
    subject: str
    outcome: str
    reason: str


class ScopeOut(Schema):
    outcome: str
    overridable: bool
    referral: str
    items: list[ScopeItemOut]
    decided_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None


class ClearanceOut(Schema):
    may_treat: bool
    needs: str = Field(description="What is still needed: '', acknowledge, clearance or refer")


class PlanOut(Schema):
    id: int
    episode_id: int
    therapist_id: int | None
    created_at: datetime
    goals: str
    condition: str
    condition_category: str
    frequency: str
    review_on: date
    techniques: list[TechniqueOut]
    scope: ScopeOut | None
    clearance: ClearanceOut

    @staticmethod
    def resolve_techniques(plan: TreatmentPlan) -> list[dict[str, str]]:
        return [
            {"technique": t.technique, "name": technique_name(t.technique), "region": t.region}
            for t in plan.techniques.all()
        ]

    @staticmethod
    def resolve_scope(plan: TreatmentPlan) -> Any:
        return getattr(plan, "scope_decision", None)

    @staticmethod
    def resolve_clearance(plan: TreatmentPlan) -> gate.Clearance:
        return gate.plan_clearance(plan)


def own_plans(request: HttpRequest) -> QuerySet[TreatmentPlan]:
    return (
        TreatmentPlan.objects.filter(clinic=request.clinic)  # type: ignore[attr-defined]
        .select_related("scope_decision")
        .prefetch_related("techniques")
    )


@router.get(
    "/episodes/{episode_id}/plans",
    response={200: list[PlanOut], **ERRORS},
    url_name="list_plans",
)
@paginate(BoundedPagination)
def list_plans(request: HttpRequest, episode_id: int) -> Any:
    """The episode's treatment plans, newest first, each with its scope decision."""
    require_clinical(request)
    episode = clinic_object(request, Episode, episode_id)
    return own_plans(request).filter(episode=episode)


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, url_name="get_plan")
def get_plan(request: HttpRequest, plan_id: int) -> TreatmentPlan:
    """A plan with its techniques, the scope decision with reasons, and what it still needs."""
    require_clinical(request)
    clinic_object(request, TreatmentPlan, plan_id)
    return own_plans(request).get(pk=plan_id)


@router.post(
    "/plans/{plan_id}/acknowledge",
    response={200: PlanOut, **REFUSALS},
    url_name="acknowledge_scope",
)
def acknowledge_scope(request: HttpRequest, plan_id: int) -> TreatmentPlan:
    """Record that the therapist read the scope gate's warnings and proceeds (warnings only)."""
    require_clinical(request)
    require_write(request)
    plan = clinic_object(request, TreatmentPlan, plan_id)
    record = ScopeRecord.objects.filter(clinic=plan.clinic_id, plan=plan).first()
    if record is None or record.outcome != "warn":
        raise HttpError(409, "Only a warning can be acknowledged.")
    if record.acknowledged_at is None:
        record.acknowledged_by = request.user  # type: ignore[assignment]
        record.acknowledged_at = timezone.now()
        record.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return own_plans(request).get(pk=plan.pk)


class OverrideIn(StrictIn):
    reason: str = Field(
        description="Why you proceed despite the scope gate, in at least a sentence: "
        "4 words or more (3 of them different) and 20 characters or more"
    )


class OverrideOut(Schema):
    id: int
    plan_id: int
    by_id: int
    at: datetime
    outcome: str = Field(description="The outcome overridden, as the plan's decision stood")
    reasons: list[ScopeItemOut] = Field(description="The decision's items that gave that outcome")
    reason: str


@router.post(
    "/plans/{plan_id}/override",
    response={201: OverrideOut, **REFUSALS},
    url_name="override_scope",
)
def override_scope(request: HttpRequest, plan_id: int, payload: OverrideIn) -> Status[Any]:
    """Override the plan's scope decision with a written reason, as the plan page does.

    A reason short of a sentence answers 422; a decision that allows, or that cannot be
    overridden (a red flag, an absolute contraindication, expired insurance), answers 409.
    """
    require_clinical(request)
    require_write(request)
    plan = clinic_object(request, TreatmentPlan.objects.select_related("episode"), plan_id)
    form = OverrideForm({"reason": payload.reason})
    if not form.is_valid():
        refuse(form)
    try:
        override = services.override_scope(
            request.clinic,  # type: ignore[attr-defined]
            request.membership,  # type: ignore[attr-defined]
            plan,
            form.cleaned_data["reason"],
        )
    except services.OverrideError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, override)


@router.post(
    "/episodes/{episode_id}/plans",
    response={201: PlanOut, **ERRORS},
    url_name="create_plan",
)
def create_plan(request: HttpRequest, episode_id: int, payload: PlanIn) -> Status[Any]:
    """Write a plan; the scope gate decides on it and its decision is kept with it.

    A plan the gate blocks is still kept (201), as on the web page: its `scope` says why, and
    `clearance` says what must happen before any session is recorded.
    """
    require_clinical(request)
    require_write(request)
    episode = clinic_object(request, Episode, episode_id)
    fields = payload.model_dump(exclude={"techniques"})
    form = PlanForm({**fields, "review_on": payload.review_on.isoformat()})
    rows = TechniqueRows(
        rows_data({**r.model_dump(), "dosage": ""} for r in payload.techniques),
        prefix="techniques",
    )
    if not all([form.is_valid(), rows.is_valid()]):
        refuse(form, rows)
    therapist = current_therapist(request)
    plan = form.save(commit=False)
    plan.clinic_id = episode.clinic_id
    plan.episode = episode
    plan.therapist = therapist
    gate.save_plan(plan, technique_rows(rows), *gate.facts_today(therapist, episode))
    return Status(201, own_plans(request).get(pk=plan.pk))


class NoteTechniqueIn(StrictIn):
    technique: str = Field(
        min_length=1, max_length=100, description="Knowledge id, e.g. technique.effleurage"
    )
    region: str = Field(min_length=1, max_length=60, description="Knowledge id, e.g. region.elbow")
    dosage: str = Field("", max_length=200)


class NoteTechniqueOut(Schema):
    technique: str
    region: str
    dosage: str = ""


class NoteIn(StrictIn):
    session_date: SessionDay | None = Field(
        None, description="Defaults to today; not after today nor before the episode opened"
    )
    subjective: SoapText = ""
    objective: SoapText = ""
    techniques: list[NoteTechniqueIn] = Field(default=[], max_length=MAX_ROWS)
    response: SoapText = ""
    advice: SoapText = ""
    plan: SoapText = ""
    acknowledge: bool = Field(
        False, description="The therapist has read the scope warnings and proceeds"
    )


class NotePatch(StrictIn):
    """Only the fields sent change; techniques, when sent, replace the note's rows."""

    session_date: SessionDay | None = None
    subjective: SoapText | None = None
    objective: SoapText | None = None
    techniques: list[NoteTechniqueIn] | None = Field(None, max_length=MAX_ROWS)
    response: SoapText | None = None
    advice: SoapText | None = None
    plan: SoapText | None = None
    acknowledge: bool = False


class NoteOut(Schema):
    id: int
    episode_id: int
    therapist_id: int | None
    session_date: date
    subjective: str
    objective: str
    techniques: list[NoteTechniqueOut]
    response: str
    advice: str
    plan: str
    status: str = Field(description="draft or signed")
    signed_at: datetime | None
    signed_by_id: int | None
    sequence: int | None = Field(description="Place in the clinic's signing chain")
    content_hash: str
    previous_hash: str


class AddendumIn(StrictIn):
    text: SoapText


class AddendumOut(Schema):
    id: int
    note_id: int
    text: str
    signed_at: datetime | None
    signed_by_id: int | None
    sequence: int | None
    content_hash: str
    previous_hash: str


def own_notes(request: HttpRequest) -> QuerySet[TreatmentNote]:
    return TreatmentNote.objects.filter(clinic=request.clinic)  # type: ignore[attr-defined]


@router.get(
    "/episodes/{episode_id}/notes",
    response={200: list[NoteOut], **ERRORS},
    url_name="list_notes",
)
@paginate(BoundedPagination)
def list_notes(request: HttpRequest, episode_id: int) -> Any:
    """The episode's SOAP notes, latest session first, drafts and signed."""
    require_clinical(request)
    episode = clinic_object(request, Episode, episode_id)
    return own_notes(request).filter(episode=episode)


@router.get("/notes/{note_id}", response={200: NoteOut, **ERRORS}, url_name="get_note")
def get_note(request: HttpRequest, note_id: int) -> TreatmentNote:
    """A SOAP note, draft or signed."""
    require_clinical(request)
    return clinic_object(request, TreatmentNote, note_id)


def episode_plan(episode: Episode) -> TreatmentPlan | None:
    """The plan a session is recorded under: the episode's latest."""
    return TreatmentPlan.objects.filter(clinic_id=episode.clinic_id, episode=episode).first()


def checked_note(
    request: HttpRequest, episode: Episode, values: dict[str, Any], acknowledge: bool
) -> tuple[NoteForm, list[dict[str, str]]]:
    """Validate a note as the web form does (422), then let the scope gate judge it (409)."""
    rows_in = values.pop("techniques")
    session = values.pop("session_date")
    # The form's instance knows the episode, so the model's clean can bound the session date.
    form = NoteForm(
        {**values, "session_date": session.isoformat()},
        instance=TreatmentNote(clinic_id=episode.clinic_id, episode=episode),
    )
    rows = TechniqueRows(rows_data(rows_in), prefix="techniques")
    if not all([form.is_valid(), rows.is_valid()]):
        refuse(form, rows)
    plan = episode_plan(episode)
    if plan is None:
        raise HttpError(409, "Write a treatment plan for this episode before recording a session.")
    if not gate.plan_clearance(plan).may_treat:
        raise HttpError(
            409, "The treatment plan's scope gate has not cleared treatment: see the plan."
        )
    chosen = technique_rows(rows)
    decision, verdict = note_verdict(request, episode, plan, chosen, acknowledge)
    if not verdict.may_treat:
        reasons = " ".join(i.reason for i in decision.items if i.outcome == decision.outcome)
        if verdict.needs == "acknowledge":
            raise HttpError(409, "Set acknowledge to true to proceed past: " + reasons)
        raise HttpError(409, "These techniques are outside what you may do here: " + reasons)
    return form, chosen


@router.post(
    "/episodes/{episode_id}/notes",
    response={201: NoteOut, **REFUSALS},
    url_name="create_note",
)
def create_note(request: HttpRequest, episode_id: int, payload: NoteIn) -> Status[Any]:
    """Record a session's SOAP note as a draft; the scope gate checks its techniques first."""
    require_clinical(request)
    require_write(request)
    episode = clinic_object(request, Episode, episode_id)
    values = payload.model_dump(exclude={"acknowledge"})
    values["session_date"] = payload.session_date or timezone.localdate()
    form, chosen = checked_note(request, episode, values, payload.acknowledge)
    note = form.save(commit=False)
    note.clinic_id = episode.clinic_id
    note.episode = episode
    note.therapist = current_therapist(request)
    note.techniques = chosen
    note.save()
    return Status(201, note)


SIGNED = "This note is signed and cannot be changed: add an addendum."


def refuse_colleague(request: HttpRequest, note: TreatmentNote) -> None:
    """403 for anyone but the draft's author (the rule is services.draft_author_problem)."""
    not_yours = services.draft_author_problem(note, request.user.pk)
    if not_yours:
        raise HttpError(403, not_yours)


@router.patch("/notes/{note_id}", response={200: NoteOut, **REFUSALS}, url_name="update_note")
def update_note(request: HttpRequest, note_id: int, payload: NotePatch) -> TreatmentNote:
    """Change a draft note (the scope gate checks it again); a signed note answers 409.

    Only the draft's author changes it: a colleague's request answers 403 (they add a signed
    addendum once the note is signed).
    """
    require_clinical(request)
    require_write(request)
    note = clinic_object(request, TreatmentNote, note_id)
    if note.status == TreatmentNote.Status.SIGNED:
        raise HttpError(409, SIGNED)
    refuse_colleague(request, note)
    changes = payload.model_dump(exclude={"acknowledge"}, exclude_none=True)
    values: dict[str, Any] = {
        name: getattr(note, name)
        for name in ("session_date", "subjective", "objective", "response", "advice", "plan")
    }
    values["techniques"] = [
        {"technique": r["technique"], "region": r["region"], "dosage": r.get("dosage", "")}
        for r in note.techniques
    ]
    values.update(changes)
    form, chosen = checked_note(request, note.episode, values, payload.acknowledge)
    with transaction.atomic():
        # Under the row lock: a note signed meanwhile is refused, never quietly unsigned.
        locked = TreatmentNote.objects.select_for_update().get(pk=note.pk, clinic=note.clinic_id)
        if locked.status == TreatmentNote.Status.SIGNED:
            raise HttpError(409, SIGNED)
        # Only the fields sent: another window's change to the rest since this request read the
        # note is kept.
        for name in changes:
            setattr(locked, name, chosen if name == "techniques" else form.cleaned_data[name])
        try:
            locked.save(update_fields=list(changes))
        except SignedRecordError:
            raise HttpError(409, SIGNED) from None
    return locked


@router.post("/notes/{note_id}/sign", response={200: NoteOut, **REFUSALS}, url_name="sign_note")
def sign_note(request: HttpRequest, note_id: int) -> TreatmentNote:
    """Sign a draft: the scope gate runs again, then the note is locked into the clinic's chain.

    Only the draft's author signs it: a colleague's request answers 403.
    """
    require_clinical(request)
    require_write(request)
    note = clinic_object(request, TreatmentNote, note_id)
    if note.status == TreatmentNote.Status.DRAFT:
        refuse_colleague(request, note)
    plan = episode_plan(note.episode)
    if plan is not None and note.status == TreatmentNote.Status.DRAFT:
        # A red flag recorded or a policy lapsed since the draft stops the signing; a warning
        # was acknowledged when the draft was saved.
        decision, verdict = note_verdict(request, note.episode, plan, note.techniques, True)
        if not verdict.may_treat:
            reasons = " ".join(i.reason for i in decision.items if i.outcome == decision.outcome)
            raise HttpError(409, "Not signed: the scope gate no longer clears this. " + reasons)
    user: User = request.user  # type: ignore[assignment]
    try:
        return services.sign_draft(note, user)
    except services.NoteRefused as error:
        raise HttpError(403, str(error)) from None
    except signing.SigningError as error:
        raise HttpError(409, str(error)) from None


@router.get(
    "/notes/{note_id}/addenda",
    response={200: list[AddendumOut], **ERRORS},
    url_name="list_addenda",
)
@paginate(BoundedPagination)
def list_addenda(request: HttpRequest, note_id: int) -> Any:
    """The signed addenda of a note, in signing order."""
    require_clinical(request)
    note = clinic_object(request, TreatmentNote, note_id)
    return Addendum.objects.filter(clinic=note.clinic_id, note=note)


@router.post(
    "/notes/{note_id}/addenda",
    response={201: AddendumOut, **REFUSALS},
    url_name="create_addendum",
)
def create_addendum(request: HttpRequest, note_id: int, payload: AddendumIn) -> Status[Any]:
    """Add a signed addendum to a signed note, as the next link of the clinic's chain."""
    require_clinical(request)
    require_write(request)
    note = clinic_object(request, TreatmentNote, note_id)
    if not payload.text.strip():
        raise HttpError(400, "An addendum needs some text.")
    if note.status != TreatmentNote.Status.SIGNED:
        raise HttpError(409, "This note is still a draft: change it instead of adding an addendum.")
    user: User = request.user  # type: ignore[assignment]
    try:
        addendum = signing.add_addendum(note.pk, note.clinic_id, user, payload.text)
    except signing.SigningError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, addendum)

"""Writing audit events: who is acting, what a URL or a row is about, and the one INSERT."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.http import HttpRequest

from softtissue.audit.models import AuditEvent
from softtissue.tokens import token_hash

# URL keyword -> the model it names. Pages use <pk> after a plural prefix ("episodes/<pk>/");
# the prefix gives the keyword it stands for.
KWARG_MODELS = {
    "client_id": "clients.Client",
    "episode_id": "assessments.Episode",
    "assessment_id": "assessments.Assessment",
    "plan_id": "treatments.TreatmentPlan",
    "note_id": "treatments.TreatmentNote",
    "clearance_id": "treatments.MedicalClearance",
    "letter_id": "letters.Letter",
    "programme_id": "rehab.Programme",
    "administration_id": "outcomes.MeasureAdministration",
    "appointment_id": "appointments.Appointment",
    "api_token_id": "interop.ApiToken",
}
PK_PREFIXES = {
    "clients": "client_id",
    "episodes": "episode_id",
    "assessments": "assessment_id",
    "plans": "plan_id",
    "notes": "note_id",
    "clearances": "clearance_id",
    "letters": "letter_id",
    "programmes": "programme_id",
    "appointments": "appointment_id",
    "api-tokens": "api_token_id",
}
PK_PARTS = {"<int:pk>", "<pk>"}
# The client's own links (no login), by URL name: the URL's token names a row of these, found
# by its hash, and that row (never the request) says whose clinic and client the request is about.
LINK_MODELS = {
    "intake_form": "clients.IntakeLink",
    "fill_questionnaire": "outcomes.QuestionnaireLink",
    "follow_programme": "rehab.ProgrammeLink",
}
# How to reach the client from a row of each model (None: the row is the client).
CLIENT_PATHS: dict[str, str | None] = {
    "clients.Client": None,
    "clients.Consent": "client_id",
    "clients.MedicalHistoryItem": "client_id",
    "clients.Medication": "client_id",
    "clients.IntakeLink": "client_id",
    "education.LeafletGiven": "client_id",
    "appointments.Appointment": "client_id",
    "privacy.LegalHold": "client_id",
    "assessments.Episode": "client_id",
    "assessments.Assessment": "episode__client_id",
    "assessments.BodyChartMark": "assessment__episode__client_id",
    "assessments.RangeOfMotion": "assessment__episode__client_id",
    "assessments.SpecialTestResult": "assessment__episode__client_id",
    "outcomes.MeasureAdministration": "episode__client_id",
    "outcomes.QuestionnaireLink": "episode__client_id",
    "treatments.TreatmentPlan": "episode__client_id",
    "treatments.PlanTechnique": "plan__episode__client_id",
    "treatments.ScopeDecision": "plan__episode__client_id",
    "treatments.Override": "plan__episode__client_id",
    "treatments.MedicalClearance": "plan__episode__client_id",
    "treatments.TreatmentNote": "episode__client_id",
    "treatments.Addendum": "note__episode__client_id",
    "rehab.Programme": "episode__client_id",
    "rehab.PrescribedExercise": "programme__episode__client_id",
    "rehab.ProgrammeLink": "programme__episode__client_id",
    "rehab.AdherenceLog": "prescribed__programme__episode__client_id",
    "letters.Letter": "episode__client_id",
}


@dataclass
class Actor:
    """Who is acting: a request (read when an event is written, since API tokens are checked
    inside the view) or nobody (commands, shell)."""

    request: HttpRequest | None = None
    # Client ids already looked up in this request, so one row's changes cost no repeat query.
    client_ids: dict[tuple[str, int], int | None] = field(default_factory=dict)

    @property
    def clinic_id(self) -> int | None:
        clinic = getattr(self.request, "clinic", None)
        return clinic.pk if clinic is not None else None

    @property
    def user_id(self) -> int | None:
        user = getattr(self.request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None

    @property
    def remote_addr(self) -> str | None:
        return remote_address(self.request) if self.request is not None else None

    @property
    def user_agent(self) -> str:
        if self.request is None:
            return ""
        return str(self.request.META.get("HTTP_USER_AGENT", ""))[:200]


_actor: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)
_muted: ContextVar[bool] = ContextVar("audit_muted", default=False)


def current_actor() -> Actor:
    """The request's actor, or an anonymous one (commands, shell)."""
    return _actor.get() or Actor()


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Attribute the events written inside the block to this actor."""
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def muted() -> Iterator[None]:
    """No row-by-row events inside the block: the caller records one event for the whole act."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """True inside a `muted()` block."""
    return _muted.get()


def remote_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind a trusted proxy the last X-Forwarded-For entry (the proxy's own)."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SOFTTISSUE_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


LARGEST_ID = 2**63 - 1  # the largest value of a bigint column on PostgreSQL and SQLite


def object_of(route: str, kwargs: dict[str, Any]) -> tuple[str, int] | None:
    """The model label and id a URL is about: the last id keyword the route names."""
    found = None
    segments = [part for part in route.split("/") if part]
    for name, value in kwargs.items():
        key = name
        if name == "pk":
            # The segment before <pk> says what it is: "notes/<int:pk>/" -> note_id.
            before = next(
                (segments[i - 1] for i, part in enumerate(segments) if part in PK_PARTS and i),
                "",
            )
            key = PK_PREFIXES.get(before, "")
        if key in KWARG_MODELS:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue
            # An id no row can have (negative, or past a bigint) is kept out of the event:
            # the column could not store it, and there is nothing it could name.
            if 0 < number <= LARGEST_ID:
                found = (KWARG_MODELS[key], number)
    return found


@dataclass(frozen=True, slots=True)
class Link:
    """The stored link a client-link URL's token names."""

    object_type: str
    object_id: int
    clinic_id: int
    client_id: int | None


def link_of(url_name: str, kwargs: dict[str, Any]) -> Link | None:
    """The link row behind a client link's token (one indexed query), or None if unknown."""
    label = LINK_MODELS.get(url_name)
    token = kwargs.get("token")
    if label is None or not isinstance(token, str):
        return None
    model = apps.get_model(label)
    found = (
        model._default_manager.filter(token_hash=token_hash(token))
        .values_list("pk", "clinic_id", CLIENT_PATHS[label])
        .first()
    )
    if found is None:
        return None
    pk, clinic_id, client_id = found
    return Link(label, pk, clinic_id, client_id)


def admin_object_of(model_admin: Any, kwargs: dict[str, Any]) -> tuple[str, int | None]:
    """The model label and row id (None on a list) an admin page is about."""
    label = str(model_admin.model._meta.label)
    raw = str(kwargs.get("object_id", ""))
    # The admin's ids are any text in the URL; only a plain number can name one of our rows.
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    return label, number if 0 < number <= LARGEST_ID else None


def client_of(label: str, object_id: int, clinic_id: int | None) -> int | None:
    """The client a row belongs to (one indexed query at most, cached for the request)."""
    if label not in CLIENT_PATHS or clinic_id is None:
        return None
    path = CLIENT_PATHS[label]
    if path is None:
        return object_id
    actor = _actor.get()
    cache = actor.client_ids if actor is not None else {}
    if (label, object_id) not in cache:
        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        cache[(label, object_id)] = (
            model._default_manager.filter(pk=object_id, clinic_id=clinic_id)
            .values_list(path, flat=True)
            .first()
        )
    return cache[(label, object_id)]


def client_in_insert(label: str, object_id: int, clinic_id: int) -> int | Subquery | None:
    """The client of a URL's object as a subquery, so the request's event stays one statement."""
    if label not in CLIENT_PATHS:
        return None
    path = CLIENT_PATHS[label]
    if path is None:
        return object_id
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    rows = model._default_manager.filter(pk=object_id, clinic_id=clinic_id).order_by()
    return Subquery(rows.values(path)[:1])


def client_of_row(instance: models.Model) -> int | None:
    """The client of a saved or deleted row, read from the row when it holds the id itself."""
    label = instance._meta.label
    path = CLIENT_PATHS.get(label, "")
    if path is None:
        return int(instance.pk)
    if path == "client_id":
        return getattr(instance, "client_id", None)
    first = path.split("__")[0]
    parent_id = getattr(instance, f"{first}_id", None)
    parent_field = instance._meta.get_field(first)
    parent_label = parent_field.related_model._meta.label  # type: ignore[union-attr]
    if parent_id is None:
        return None
    return client_of(parent_label, int(parent_id), getattr(instance, "clinic_id", None))


def record_rows(action: str, rows: Iterable[models.Model]) -> None:
    """One event per row written without save() (bulk_create, QuerySet.update): one INSERT."""
    if is_muted():
        return
    who = current_actor()
    events = [
        AuditEvent(
            clinic_id=getattr(row, "clinic_id", None),
            user_id=who.user_id,
            action=action,
            object_type=row._meta.label,
            object_id=row.pk,
            client_id=client_of_row(row),
            remote_addr=who.remote_addr,
            user_agent=who.user_agent,
        )
        for row in rows
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


def record(
    action: str,
    *,
    actor: Actor | None = None,
    object_type: str = "",
    object_id: int | None = None,
    client_id: int | Subquery | None = None,
    url_name: str = "",
    method: str = "",
    status_code: int | None = None,
    clinic_id: int | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Write one event (never anything typed by a user: only ids, names of things, numbers)."""
    who = actor or current_actor()
    return AuditEvent.objects.create(
        clinic_id=clinic_id if clinic_id is not None else who.clinic_id,
        user_id=user_id if user_id is not None else who.user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_id=client_id,
        url_name=url_name[:100],
        method=method[:10],
        status_code=status_code,
        remote_addr=who.remote_addr,
        user_agent=who.user_agent,
    )

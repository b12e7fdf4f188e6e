"""API operations for client records and consent: contact-level, so reception may use them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from ninja.params.functions import Header

from softtissue.accounts.models import Clinic, Membership
from softtissue.audit.edits import save_fields
from softtissue.clients import services
from softtissue.clients.consent import keep_consent
from softtissue.clients.forms import ClientForm, ConsentForm
from softtissue.clients.models import Client, Consent
from softtissue.clients.normalise import email_key, looks_like_phone, name_words, parse_date
from softtissue.clients.normalise import phone_digits as digits_of
from softtissue.clients.search import (
    COUNT_LIMIT,
    MAX_NAME_WORDS,
    MIN_NAME_LENGTH,
    ORDER,
    count_upto,
    name_matches,
    prefix,
)
from softtissue.clients.services import API_KEY, api_creation_key
from softtissue.interop.api_common import (
    ERRORS,
    MAX_OFFSET,
    BoundedPagination,
    ErrorOut,
    StrictIn,
    clinic_object,
    invalid,
    require_write,
    storable,
)
from softtissue.limits import AddressText

router = Router(tags=["clients"])

Sex = Literal["female", "male", ""]
FORM_FIELDS: tuple[str, ...] = tuple(ClientForm.Meta.fields)


class ClientOut(Schema):
    """A client's identity, contacts and GP details."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    sex: str
    phone: str
    email: str
    address: str
    postcode: str
    occupation: str
    activities: str
    emergency_contact: str
    gp_name: str
    gp_practice: str
    gp_address: str
    gp_phone: str
    created_at: datetime
    updated_at: datetime


class ClientPage(Schema):
    """One page of clients, and how many matched in all."""

    items: list[ClientOut]
    count: int = Field(
        description=(
            f"How many clients matched. A search (q given) counts at most {COUNT_LIMIT} past "
            "the offset: when count_capped is true, more than count matched."
        )
    )
    count_capped: bool = Field(description="True when count stopped short of every match.")
    kind: str = Field(description="How the query was read: all, name, date_of_birth, ...")


class ClientIn(StrictIn):
    """A new client: names and date of birth are required; the rest may be left out."""

    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    date_of_birth: date
    preferred_name: str = Field("", max_length=100)
    sex: Sex = ""
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: AddressText = ""
    postcode: str = Field("", max_length=12)
    occupation: str = Field("", max_length=200)
    activities: str = Field("", max_length=300)
    emergency_contact: str = Field("", max_length=200)
    gp_name: str = Field("", max_length=200)
    gp_practice: str = Field("", max_length=200)
    gp_address: AddressText = ""
    gp_phone: str = Field("", max_length=40)
    allow_duplicate: bool = Field(
        False,
        description="Create the client even though the clinic has one with the same name and "
        "date of birth (without it, that answers 409 naming the existing client).",
    )


class ClientPatch(StrictIn):
    """The fields to change; a field left out keeps its value."""

    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    date_of_birth: date | None = None
    preferred_name: str | None = Field(None, max_length=100)
    sex: Sex | None = None
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    address: AddressText | None = None
    postcode: str | None = Field(None, max_length=12)
    occupation: str | None = Field(None, max_length=200)
    activities: str | None = Field(None, max_length=300)
    emergency_contact: str | None = Field(None, max_length=200)
    gp_name: str | None = Field(None, max_length=200)
    gp_practice: str | None = Field(None, max_length=200)
    gp_address: AddressText | None = None
    gp_phone: str | None = Field(None, max_length=40)


class ClientQuery(Schema):
    """Search and page through the clinic's clients."""

    q: str = Field("", max_length=200, description="Name, date of birth, phone or email.")
    limit: int = Field(
        settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ConsentIn(StrictIn):
    """A consent given (or withdrawn), how, and the client's typed-name signature."""

    kind: Literal["assessment_treatment", "health_data", "share_with_gp"]
    given: bool = True
    method: Literal["in_person", "tablet", "paper"]
    signed_name: str = Field(max_length=200)


class ConsentOut(Schema):
    """One consent record."""

    id: int
    client_id: int
    kind: str
    given: bool
    method: str
    signed_name: str
    recorded_at: datetime
    recorded_by_id: int | None


def form_data(values: dict[str, Any]) -> dict[str, str]:
    """Values as the web form receives them: text, with dates as yyyy-mm-dd."""
    return {
        key: value.isoformat() if isinstance(value, date) else ("" if value is None else value)
        for key, value in values.items()
    }


def matching(clinic: Clinic, query: str) -> tuple[str, QuerySet[Any, Any], bool]:
    """How the query was read, its rows in name order, and whether those rows are client ids."""
    # The same reading as the client list's search box (clients/search.py), kept as querysets
    # so that the API can page by limit and offset.
    clients = Client.objects.filter(clinic=clinic).order_by(*ORDER)
    query = query.strip()
    if not query:
        return "all", clients, False
    day = parse_date(query)
    if day is not None:
        return "date_of_birth", clients.filter(date_of_birth=day), False
    if "@" in query:
        return "email", clients.filter(prefix("email_key", email_key(query))), False
    if looks_like_phone(query):
        return "phone", clients.filter(prefix("phone_digits", digits_of(query))), False
    words = list(dict.fromkeys(name_words(query)))[:MAX_NAME_WORDS]
    if len("".join(words)) < MIN_NAME_LENGTH:
        return "too_short", clients.none(), False
    return "name", name_matches(clinic, words), True


@router.get("/clients", response={200: ClientPage, **ERRORS}, url_name="list_clients")
def list_clients(request: HttpRequest, filters: Query[ClientQuery]) -> dict[str, Any]:
    """The clinic's clients in name order, filtered by name, date of birth, phone or email."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    if not storable(filters.q):
        raise ValidationError(
            [{"loc": ["query", "q"], "msg": "contains a NUL character or an invalid code point"}]
        )
    kind, rows, are_ids = matching(clinic, filters.q)
    window = rows[filters.offset : filters.offset + filters.limit]
    if are_ids:
        ids = [row["client_id"] for row in window]
        by_id = Client.objects.filter(clinic=clinic).in_bulk(ids)
        items: list[Client] = [by_id[pk] for pk in ids if pk in by_id]
    else:
        items = list(window)
    if kind == "all":
        count, capped = rows.count(), False
    else:
        count, capped = count_upto(rows, filters.offset + max(filters.limit, COUNT_LIMIT))
    return {"items": items, "count": count, "count_capped": capped, "kind": kind}


@router.get("/clients/{client_id}", response={200: ClientOut, **ERRORS}, url_name="get_client")
def get_client(request: HttpRequest, client_id: int) -> Client:
    """One client of the clinic."""
    return clinic_object(request, Client, client_id)


IDEMPOTENCY_KEY = "Idempotency-Key"


def creation_key(request: HttpRequest, sent: str | None) -> str:
    """The stored form of the request's Idempotency-Key header, or "" when none was sent."""
    if sent is None:
        return ""
    if not API_KEY.fullmatch(sent):
        raise ValidationError(
            [
                {
                    "loc": ["header", IDEMPOTENCY_KEY],
                    "msg": "must be 1 to 200 visible ASCII characters, such as a UUID",
                }
            ]
        )
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return api_creation_key(membership.user_id, sent)


@router.post(
    "/clients", response={201: ClientOut, 409: ErrorOut, **ERRORS}, url_name="create_client"
)
def create_client(
    request: HttpRequest,
    payload: ClientIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias=IDEMPOTENCY_KEY,
        description="Any new value per client (a UUID): a request repeating it creates nothing "
        "and answers with the client the first one created.",
    ),
) -> Status[Any]:
    """Create a client record, checked as the new-client page checks it, once per key."""
    require_write(request)
    key = creation_key(request, idempotency_key)
    form = ClientForm(form_data(payload.model_dump(exclude={"allow_duplicate"})))
    if not form.is_valid():
        invalid(form)
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    try:
        created = services.create_client(
            clinic, form, key=key, allow_duplicate=payload.allow_duplicate
        )
    except services.PossibleDuplicate as found:
        ids = ", ".join(str(client.pk) for client in found.existing)
        return Status(
            409,
            {
                "detail": f"Possible duplicate of client {ids}: the clinic has a client with "
                "the same name and date of birth. Use that record, or send "
                '"allow_duplicate": true to create another.',
                "errors": [
                    {
                        "loc": ["body", "allow_duplicate"],
                        "msg": f"possible duplicate of client {client.pk}",
                    }
                    for client in found.existing
                ],
            },
        )
    except services.KeyReused as reused:
        raise ValidationError(
            [
                {
                    "loc": ["header", IDEMPOTENCY_KEY],
                    "msg": f"this key already created client {reused.earlier.pk}, not the one "
                    "sent: send a new key for each new client",
                }
            ]
        ) from None
    if created.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, created.client)


@router.patch("/clients/{client_id}", response={200: ClientOut, **ERRORS}, url_name="update_client")
def update_client(request: HttpRequest, client_id: int, payload: ClientPatch) -> Client:
    """Change some of a client's identity, contact or GP fields."""
    require_write(request)
    client = clinic_object(request, Client, client_id)
    sent = payload.model_dump(exclude_unset=True)
    current = model_to_dict(client, fields=FORM_FIELDS)
    current.update(sent)
    form = ClientForm(form_data(current), instance=client)
    if not form.is_valid():
        invalid(form)
    # Only the fields sent are written, onto the row as it is now: a colleague's change to
    # another field since this request read the client is kept.
    rows = Client.objects.filter(clinic_id=client.clinic_id)
    return save_fields(form, rows, client.pk, sent)


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    url_name="list_consents",
)
@paginate(BoundedPagination)
def list_consents(request: HttpRequest, client_id: int) -> QuerySet[Consent]:
    """Every consent record of the client, newest first (the newest of each kind is current)."""
    client = clinic_object(request, Client, client_id)
    return Consent.objects.filter(clinic_id=client.clinic_id, client=client).order_by(
        "-recorded_at", "-pk"
    )


@router.post(
    "/clients/{client_id}/consents",
    response={201: ConsentOut, **ERRORS},
    url_name="record_consent",
)
def record_consent(request: HttpRequest, client_id: int, payload: ConsentIn) -> Status[Consent]:
    """Record a consent given or withdrawn, as the client page does."""
    require_write(request)
    client = clinic_object(request, Client, client_id)
    data = {**payload.model_dump(), "given": "yes" if payload.given else "no"}
    form = ConsentForm(data)
    if not form.is_valid():
        invalid(form)
    membership: Membership = request.membership  # type: ignore[attr-defined]
    consent = keep_consent(client, form.cleaned_data, membership.user)
    return Status(201, consent)

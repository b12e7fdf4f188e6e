"""Every page and API operation refuses whoever should not reach it; new ones are covered unasked.

The routes are enumerated from the URLconf and the OpenAPI schema, and filled with the ids of a
real record of clinic A (tests/records.py). A route whose parameter this file cannot fill fails
with a message saying so: teach it below rather than leave the route untested.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from tests.records import MARKER_SURNAME, FullRecord, build_full_record

# Pages a visitor must reach: to log in, and the client's own expiring links (tested separately).
PUBLIC = {"login", "logout", "intake_form", "fill_questionnaire", "follow_programme"}

# Pages reception may open: their own account, clients' contact details and consent, leaflets.
RECEPTION_PAGES = {
    "dashboard",
    "change_password",
    "password_changed",
    "show_profile",
    "client_list",
    "create_client",
    "client_detail",
    "edit_client",
    "record_consent",
    "create_intake_link",
    "leaflet_list",
    "leaflet_detail",
    "appointment_list",
    "book_appointment",
    "edit_appointment",
    "api_tokens",
    "revoke_api_token",
    "show_two_factor",
    "confirm_two_factor",
    "disable_two_factor",
    "verify_two_factor",
}

# API operations reception may call (method, path as in the OpenAPI schema).
RECEPTION_OPERATIONS = {
    ("GET", "/api/v1/clients"),
    ("POST", "/api/v1/clients"),
    ("GET", "/api/v1/clients/{client_id}"),
    ("PATCH", "/api/v1/clients/{client_id}"),
    ("GET", "/api/v1/clients/{client_id}/consents"),
    ("POST", "/api/v1/clients/{client_id}/consents"),
}

# What <pk> means, by the path segment before it.
PK_OWNERS = {
    "clients": "client",
    "episodes": "episode",
    "assessments": "assessment",
    "plans": "plan",
    "notes": "note",
    "letters": "letter",
    "clearances": "clearance",
    "api-tokens": "api_token",
}
# What <item_pk> means, by the path segment before it.
ITEM_OWNERS = {"history": "history_item", "medications": "medication"}
# What a named parameter means.
PARAMETER_OWNERS = {
    "client_id": "client",
    "episode_id": "episode",
    "assessment_id": "assessment",
    "mark_id": "mark",
    "prescribed_id": "prescribed",
    "plan_id": "plan",
    "note_id": "note",
    "letter_id": "letter",
    "administration_id": "administration",
    "appointment_id": "appointment",
    "programme_id": "programme",
}
# Parameters that name knowledge rather than a clinic's row: the same for every clinic.
KNOWLEDGE_VALUES = {
    "measure": "nprs",
    "condition_id": "condition.hamstring-strain",
    "section": "history",
}
# Query strings a page needs to be more than a 404 (which kind of letter to draft).
QUERIES = {"create_letter": "?kind=referral"}
# Parameters of the client's own links: a visitor's token, never a clinic row.
TOKEN_VALUES = {"token": "not-a-real-token"}

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|{(\w+)}")


def named_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin", "api"}:
                # The admin has its own login and owner scoping (tests/accounts/test_admin.py);
                # the API is enumerated from its OpenAPI schema below.
                continue
            yield from named_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif entry.name:
            yield entry.name, prefix + str(entry.pattern)


PAGES = sorted(named_patterns(get_resolver().url_patterns))
PRIVATE_PAGES = [page for page in PAGES if page[0] not in PUBLIC]


def api_operations() -> list[tuple[str, str]]:
    from softtissue.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    )


OPERATIONS = api_operations()


def fill(route: str, record: FullRecord | None) -> tuple[str, bool]:
    """The route with its parameters filled from the record, and whether it names a clinic row."""
    names_row = False
    segments = route.split("/")

    def value(match: re.Match[str]) -> str:
        nonlocal names_row
        name = match.group(1) or match.group(2)
        if name in KNOWLEDGE_VALUES:
            return KNOWLEDGE_VALUES[name]
        if name in TOKEN_VALUES:
            return TOKEN_VALUES[name]
        before = segments[segments.index(match.group(0)) - 1] if match.group(0) in segments else ""
        owner = (
            PK_OWNERS.get(before)
            if name == "pk"
            else ITEM_OWNERS.get(before)
            if name == "item_pk"
            else PARAMETER_OWNERS.get(name)
        )
        if owner is None:
            raise LookupError(
                f"tests/shell/test_every_url.py cannot fill <{name}> in {route!r}: "
                "say what it names in PK_OWNERS, ITEM_OWNERS, PARAMETER_OWNERS or KNOWLEDGE_VALUES"
            )
        names_row = True
        return "1" if record is None else str(getattr(record, owner).pk)

    return PARAMETER.sub(value, route), names_row


def body(response: HttpResponseBase) -> bytes:
    """The whole body, streamed (CSV exports) or not."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content  # type: ignore[attr-defined,no-any-return]


def clinic_rows(clinic: Clinic) -> dict[str, list[dict[str, object]]]:
    """Every row of every model that belongs to the clinic, to show that nothing changed."""
    snapshot = {}
    for model in apps.get_models():
        if model is AuditEvent:
            continue  # the trail is meant to grow with every request, refused ones included
        if any(field.name == "clinic" for field in model._meta.get_fields()):
            manager = model._default_manager
            rows = manager.filter(clinic=clinic).order_by("pk").values()
            snapshot[model._meta.label] = [
                {key: value for key, value in row.items() if not isinstance(value, memoryview)}
                for row in rows
            ]
    return snapshot


@pytest.fixture
def record(clinic_a: Clinic, owner: User) -> FullRecord:
    return build_full_record(clinic_a, owner)


def test_it_finds_the_pages_and_operations() -> None:
    assert {"dashboard", "change_password", "client_detail"} <= {name for name, _ in PAGES}
    assert ("GET", "/api/v1/measures") in OPERATIONS


def test_it_can_fill_every_route() -> None:
    for _, route in PRIVATE_PAGES:
        fill(route, None)
    for _, path in OPERATIONS:
        fill(path, None)


@pytest.mark.parametrize(("name", "route"), PRIVATE_PAGES)
def test_it_sends_a_visitor_to_log_in(web: WebClient, db: None, name: str, route: str) -> None:
    response = web.get("/" + fill(route, None)[0])
    assert response.status_code == 302, name
    assert response["Location"].startswith("/login/?next="), name


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_answers_401_to_a_visitor_on_every_api_call(
    web: WebClient, db: None, method: str, path: str
) -> None:
    response = web.generic(method, fill(path, None)[0], "{}", content_type="application/json")
    assert response.status_code == 401, (method, path)


def test_it_opens_every_page_for_the_clinics_owner(
    web: WebClient, owner: User, record: FullRecord
) -> None:
    web.force_login(owner)
    failures = []
    for name, route in PRIVATE_PAGES:
        path, _ = fill(route, record)
        status = web.get("/" + path + QUERIES.get(name, "")).status_code
        # 405: a POST-only action; 409: a page that explains why the record is not ready for it.
        # Anything else means the sample ids are wrong, and the other tests in this file would
        # prove nothing for the page.
        if status not in {200, 302, 405, 409}:
            failures.append(f"{name} /{path}: {status}")
    assert not failures, failures


def test_it_answers_404_for_another_clinics_records_on_every_page(
    web: WebClient, charlie: User, clinic_a: Clinic, record: FullRecord
) -> None:
    web.force_login(charlie)
    before = clinic_rows(clinic_a)
    failures = []
    for name, route in PRIVATE_PAGES:
        path, names_row = fill(route, record)
        if names_row:
            path += QUERIES.get(name, "")
            statuses = {web.get("/" + path).status_code, web.post("/" + path).status_code}
            if not statuses <= {404, 405} or 404 not in statuses:
                failures.append(f"{name} /{path}: {sorted(statuses)}")
        else:
            response = web.get("/" + path)
            if response.status_code >= 500 or MARKER_SURNAME.encode() in body(response):
                failures.append(f"{name} /{path} shows clinic A's client")
    assert not failures, failures
    assert clinic_rows(clinic_a) == before


def test_it_keeps_clinical_pages_from_reception(
    web: WebClient, reception: User, clinic_a: Clinic, record: FullRecord
) -> None:
    web.force_login(reception)
    before = clinic_rows(clinic_a)
    failures = []
    for name, route in PRIVATE_PAGES:
        path = fill(route, record)[0] + QUERIES.get(name, "")
        if name in RECEPTION_PAGES:
            status = web.get("/" + path).status_code
            if status not in {200, 302, 405}:
                failures.append(f"{name} /{path}: reception page answered {status}")
            continue
        statuses = {web.get("/" + path).status_code, web.post("/" + path).status_code}
        if not statuses <= {403, 404, 405} or not statuses & {403, 404}:
            failures.append(f"{name} /{path}: {sorted(statuses)}")
    assert not failures, failures
    assert clinic_rows(clinic_a) == before


def call(web: WebClient, method: str, path: str) -> int:
    return web.generic(method, path, "{}", content_type="application/json").status_code


def test_it_answers_every_api_operation_for_the_clinics_owner(
    web: WebClient, owner: User, record: FullRecord
) -> None:
    web.force_login(owner)
    failures = [
        f"{path}: {status}"
        for method, template in OPERATIONS
        if method == "GET"
        for path in [fill(template, record)[0]]
        for status in [call(web, method, path)]
        if status >= 400
    ]
    assert not failures, failures


def test_it_answers_404_for_another_clinics_records_in_the_api(
    web: WebClient, charlie: User, clinic_a: Clinic, record: FullRecord
) -> None:
    web.force_login(charlie)
    before = clinic_rows(clinic_a)
    failures = []
    for method, template in OPERATIONS:
        path, names_row = fill(template, record)
        status = call(web, method, path)
        # A body that fails validation (422) never reaches the lookup, so it reveals nothing.
        allowed = {404} if method == "GET" else {404, 422}
        if names_row and status not in allowed:
            failures.append(f"{method} {path}: {status}")
        if not names_row and status >= 500:
            failures.append(f"{method} {path}: {status}")
    assert not failures, failures
    assert clinic_rows(clinic_a) == before


def test_it_keeps_clinical_operations_from_reception(
    web: WebClient, reception: User, clinic_a: Clinic, record: FullRecord
) -> None:
    web.force_login(reception)
    before = clinic_rows(clinic_a)
    failures = []
    for method, template in OPERATIONS:
        if (method, template) in RECEPTION_OPERATIONS:
            continue
        path, _ = fill(template, record)
        status = call(web, method, path)
        allowed = {403, 404} if method == "GET" else {403, 404, 422}
        if status not in allowed:
            failures.append(f"{method} {path}: {status}")
    assert not failures, failures
    assert clinic_rows(clinic_a) == before


def test_it_notices_a_changed_row(clinic_a: Clinic, record: FullRecord) -> None:
    before = clinic_rows(clinic_a)
    record.client.phone = "07700 900000"
    record.client.save()
    assert clinic_rows(clinic_a) != before

"""schemathesis over every API operation: no 5xx, and every answer matches the OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import get_resolver
from hypothesis import HealthCheck, settings
from ninja import Schema
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from softtissue.accounts.models import Clinic, User
from softtissue.api import api
from tests.interop.api_helpers import bearer, make_record

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(autouse=True)
def same_connection(db: None) -> Iterator[None]:
    # Like Django's test client: the WSGI requests share the test's connection and transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def caller(owner: User, clinic_a: Clinic, charlie: User, clinic_b: Clinic) -> dict[str, Any]:
    """A read-write token of a clinic owner, and the ids of a record in that clinic."""
    record = make_record(clinic_a, owner)
    make_record(clinic_b, charlie, last_name="Grant")
    ids = {
        "client_id": record.client.pk,
        "episode_id": record.episode.pk,
        "assessment_id": record.assessment.pk,
    }
    return {"headers": {"Authorization": bearer(owner)["HTTP_AUTHORIZATION"]}, "ids": ids}


def load_schema() -> Any:
    """The whole API's OpenAPI, every router included, called in-process through WSGI."""
    get_resolver().url_patterns  # noqa: B018 - building the URLs mounts every router
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


schema = load_schema()


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_it_gives_every_schema_its_own_name() -> None:
    # The OpenAPI keys schemas by class name: two routers' ScopeOut would silently become one.
    seen: dict[str, str] = {}
    clashes = []
    for cls in subclasses(Schema):
        if not cls.__module__.startswith("softtissue."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if seen.setdefault(cls.__name__, where) != where:
            clashes.append((seen[cls.__name__], where))
    assert not clashes


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_answers_every_operation_within_its_schema(case: Any, caller: dict[str, Any]) -> None:
    # Most cases aim at the clinic's real record, so the happy paths run as well as the 404s.
    for name, value in list((case.path_parameters or {}).items()):
        if name in caller["ids"] and isinstance(value, int) and value % 4 != 0:
            case.path_parameters[name] = caller["ids"][name]
    case.call_and_validate(headers=caller["headers"], checks=CHECKS)

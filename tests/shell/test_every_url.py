"""Every page refuses a visitor who is not logged in; new pages are covered without a new test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver

# Pages a visitor must reach: to log in, and the client's own expiring links (tested separately).
PUBLIC = {"login", "logout", "intake_form", "fill_questionnaire", "follow_programme"}
SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "path": "sample"}


def sample_path(route: str) -> str:
    """The route with every <converter:name> replaced by a plausible value."""
    return re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda match: (
            "1"
            if match.group(2).endswith("_id")
            else SAMPLE_VALUES.get(match.group(1) or "str", "1")
        ),
        route,
    )


def named_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin", "api"}:
                # The admin has its own login (tests/accounts/test_admin.py); the API answers
                # 401 rather than redirecting (test_it_answers_401_to_a_visitor_on_every_api_call).
                continue
            yield from named_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif entry.name:
            yield entry.name, prefix + str(entry.pattern)


PAGES = sorted(named_patterns(get_resolver().url_patterns))


def test_it_finds_the_pages() -> None:
    assert {"dashboard", "change_password", "password_changed"} <= {name for name, _ in PAGES}


@pytest.mark.parametrize(("name", "route"), [p for p in PAGES if p[0] not in PUBLIC])
def test_it_sends_a_visitor_to_log_in(web: WebClient, db: None, name: str, route: str) -> None:
    response = web.get("/" + sample_path(route))
    assert response.status_code == 302, name
    assert response["Location"].startswith("/login/?next="), name


def api_operations() -> list[tuple[str, str]]:
    from softtissue.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), re.sub(r"{(\w+)}", "1", path))
        for path, methods in schema["paths"].items()
        for method in methods
    )


@pytest.mark.parametrize(("method", "path"), api_operations())
def test_it_answers_401_to_a_visitor_on_every_api_call(
    web: WebClient, db: None, method: str, path: str
) -> None:
    response = web.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401, (method, path)

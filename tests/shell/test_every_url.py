"""Every page refuses a visitor who is not logged in; new pages are covered without a new test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver

# Pages a visitor must reach: to log in, and the client's own expiring links (tested separately).
PUBLIC = {"login", "logout", "intake_form"}
SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "path": "sample"}


def sample_path(route: str) -> str:
    """The route with every <converter:name> replaced by a plausible value."""
    return re.sub(
        r"<(?:(\w+):)?\w+>", lambda match: SAMPLE_VALUES.get(match.group(1) or "str", "1"), route
    )


def named_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own login; covered in tests/accounts/test_admin.py
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

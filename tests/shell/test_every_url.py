"""Every page refuses a visitor who is not logged in; new pages are covered without a new test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver

# Pages a visitor must reach to log in; everything else needs a login.
PUBLIC = {"login", "logout"}


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
    if "<" in route:
        pytest.fail(f"{name}: give this test sample arguments for {route}")
    response = web.get("/" + route)
    assert response.status_code == 302, name
    assert response["Location"].startswith("/login/?next="), name

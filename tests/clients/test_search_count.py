"""A search counts its matches only a little past the page asked for, and says when it stopped."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients import api, search
from tests.clients.conftest import MakeClient

URL = reverse("client_list")
FIRST_NAMES = ("Abe", "Bea", "Cara", "Dev", "Eve", "Fay", "Gus")


@pytest.fixture
def seven_mosses(make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages of two, counted four past the page: seven matches are more than one count reaches.
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "COUNT_LIMIT", 4)
    monkeypatch.setattr(api, "COUNT_LIMIT", 4)
    for first in FIRST_NAMES:
        make_client(first_name=first, last_name="Moss")


def shown(web: WebClient, query: str, page: int | str = 1) -> tuple[list[str], str]:
    response = web.get(URL, {"q": query, "page": page}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    names = [client.first_name for client in response.context["page"].object_list]
    return names, " ".join(response.content.decode().split())


def test_it_says_more_than_when_the_count_stops(
    web: WebClient, alice: User, seven_mosses: None
) -> None:
    web.force_login(alice)
    names, html = shown(web, "moss")
    assert names == ["Abe", "Bea"]
    assert "More than 4 clients matching" in html
    assert "Page 1 of more than 2" in html


@pytest.mark.parametrize(
    ("page", "expected", "heading"),
    [
        (2, ["Cara", "Dev"], "More than 6 clients matching"),
        (3, ["Eve", "Fay"], "7 clients matching"),
        (4, ["Gus"], "7 clients matching"),
        (99, ["Gus"], "7 clients matching"),
        ("x", ["Abe", "Bea"], "More than 4 clients matching"),
    ],
)
def test_every_page_stays_reachable_in_order(
    web: WebClient,
    alice: User,
    seven_mosses: None,
    page: int | str,
    expected: list[str],
    heading: str,
) -> None:
    web.force_login(alice)
    names, html = shown(web, "moss", page)
    assert names == expected
    assert heading in html
    if not heading.startswith("More"):
        assert "More than" not in html and " of 4</span>" in html


def test_it_counts_exactly_below_the_limit(
    web: WebClient, alice: User, make_client: MakeClient
) -> None:
    for first in FIRST_NAMES[:3]:
        make_client(first_name=first, last_name="Moss")
    web.force_login(alice)
    names, html = shown(web, "moss")
    assert names == ["Abe", "Bea", "Cara"]
    assert "3 clients matching" in html and "More than" not in html


def test_the_list_of_all_clients_is_counted_in_full(
    web: WebClient, alice: User, seven_mosses: None
) -> None:
    web.force_login(alice)
    names, html = shown(web, "")
    assert names == ["Abe", "Bea"]
    assert "All 7 clients" in html and "Page 1 of 4" in html


def test_the_api_marks_a_capped_count(web: WebClient, alice: User, seven_mosses: None) -> None:
    web.force_login(alice)
    first = web.get("/api/v1/clients", {"q": "moss", "limit": 2}).json()
    assert (first["count"], first["count_capped"]) == (4, True)
    later = web.get("/api/v1/clients", {"q": "moss", "limit": 2, "offset": 4}).json()
    assert [c["first_name"] for c in later["items"]] == ["Eve", "Fay"]
    assert (later["count"], later["count_capped"]) == (7, False)
    everyone = web.get("/api/v1/clients", {"limit": 2}).json()
    assert (everyone["count"], everyone["count_capped"]) == (7, False)

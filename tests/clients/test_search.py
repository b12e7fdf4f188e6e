"""The client list: instant search by name, date of birth, phone and email, scoped to the clinic."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from softtissue.clients.normalise import name_terms, phone_digits
from tests.clients.conftest import MakeClient

URL = reverse("client_list")


def names(web: WebClient, query: str) -> list[str]:
    response = web.get(URL, {"q": query})
    assert response.status_code == 200
    return [client.full_name for client in response.context["page"].object_list]


@pytest.fixture
def people(make_client: MakeClient) -> None:
    make_client(first_name="Priya", last_name="Shah", phone="+44 7700 900123")
    make_client(
        first_name="Daniel",
        last_name="Hughes",
        preferred_name="Dan",
        date_of_birth=date(1979, 11, 2),
        email="dan.hughes@example.org",
    )
    make_client(first_name="Zoë", last_name="O'Brien-Smith", phone="0161 496 0000")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shah", ["Priya Shah"]),
        ("PRI", ["Priya Shah"]),
        ("dan", ["Daniel Hughes"]),
        ("hughes daniel", ["Daniel Hughes"]),
        ("zoe", ["Zoë O'Brien-Smith"]),
        ("obrien", ["Zoë O'Brien-Smith"]),
        ("smith", ["Zoë O'Brien-Smith"]),
        ("riya", []),
        ("s", []),
        ("sh", ["Priya Shah"]),
        ("02/11/1979", ["Daniel Hughes"]),
        ("1979-11-02", ["Daniel Hughes"]),
        ("07700900123", ["Priya Shah"]),
        ("+44 7700 900", ["Priya Shah"]),
        ("0161 496", ["Zoë O'Brien-Smith"]),
        ("DAN.HUGHES@example", ["Daniel Hughes"]),
        ("", ["Daniel Hughes", "Zoë O'Brien-Smith", "Priya Shah"]),
    ],
)
def test_it_finds_clients_by_each_kind(
    web: WebClient, reception: User, people: None, query: str, expected: list[str]
) -> None:
    web.force_login(reception)
    assert names(web, query) == expected


def test_it_never_shows_another_clinics_clients(
    web: WebClient, charlie: User, people: None
) -> None:
    web.force_login(charlie)
    assert names(web, "shah") == []
    assert names(web, "") == []


def test_it_answers_htmx_with_the_results_only(web: WebClient, alice: User, people: None) -> None:
    web.force_login(alice)
    response = web.get(URL, {"q": "shah"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Priya" in html
    assert "<html" not in html


def test_it_asks_for_two_letters_of_a_name(web: WebClient, alice: User, people: None) -> None:
    web.force_login(alice)
    assert "at least two letters" in web.get(URL, {"q": "s"}).content.decode()


def test_it_works_without_javascript(web: WebClient, alice: User, people: None) -> None:
    web.force_login(alice)
    html = web.get(URL, {"q": "hughes"}).content.decode()
    assert '<form method="get"' in html
    assert "Daniel" in html and "Priya" not in html


def test_it_paginates_fifty_at_a_time(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    for number in range(55):
        Client(
            clinic=clinic_a,
            first_name=f"F{number:02}",
            last_name="Same",
            date_of_birth=date(1990, 1, 1),
        ).save()
    web.force_login(alice)
    assert len(web.get(URL, {"q": "same"}).context["page"].object_list) == 50
    assert len(web.get(URL, {"q": "same", "page": "2"}).context["page"].object_list) == 5


def test_it_keeps_search_terms_in_step_with_edits(alices_client: Client) -> None:
    alices_client.last_name = "Patel"
    alices_client.save()
    terms = set(alices_client.search_terms.values_list("term", flat=True))
    assert terms == {"priya", "patel"}


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("07700 900123", "07700900123"),
        ("+44 (0)7700 900123", "007700900123"),
        ("+44 7700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("447700900123", "07700900123"),
        ("", ""),
    ],
)
def test_it_normalises_phone_numbers(typed: str, digits: str) -> None:
    assert phone_digits(typed) == digits


def test_it_splits_names_into_terms() -> None:
    assert name_terms("Anne-Marie", "van der Berg", "") == {
        "anne",
        "marie",
        "annemarie",
        "van",
        "der",
        "berg",
        "vanderberg",
    }

"""Values a form field refuses are refused with a 400 and a reason, never a 500 (issue 22.8)."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from softtissue.privacy.models import LegalHold
from softtissue.rehab.models import AdherenceLog, PrescribedExercise
from tests.rehab.conftest import episode as episode  # the rehab fixtures, used below
from tests.rehab.conftest import prescribed as prescribed
from tests.rehab.test_client_link import make_link

BAD_DAYS = [
    ("9999-12-31", "Choose a date from 1 January 1900 to 31 December 2199."),
    ("0001-01-01", "Choose a date from 1 January 1900 to 31 December 2199."),
    ("1899-12-31", "Choose a date from 1 January 1900 to 31 December 2199."),
    ("2200-01-01", "Choose a date from 1 January 1900 to 31 December 2199."),
    ("2026-02-30", "That date was not understood"),
    ("\u00b2\u2070\u00b2\u2076-01-01", "That date was not understood"),  # superscript
    ("\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", "That date was not understood"),
]
# Each page and the query it reads, with the role that may see it.
PAGES = [
    ("/appointments/?date={day}", "reception"),
    ("/outcomes/?start=2026-01-01&end={day}", "alice"),
    ("/outcomes/?start={day}&end=2026-01-01", "alice"),
    ("/audit/?start={day}", "owner"),
    ("/audit/?end={day}", "owner"),
]


@pytest.mark.parametrize(("page", "role"), PAGES)
@pytest.mark.parametrize(("day", "message"), BAD_DAYS)
def test_it_refuses_a_day_out_of_range(
    web: WebClient, request: pytest.FixtureRequest, page: str, role: str, day: str, message: str
) -> None:
    web.force_login(request.getfixturevalue(role))
    response = web.get(page.format(day=day))
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(("page", "role"), PAGES)
def test_it_accepts_the_first_and_last_day_allowed(
    web: WebClient, request: pytest.FixtureRequest, page: str, role: str
) -> None:
    web.force_login(request.getfixturevalue(role))
    for day in ("1900-01-01", "2199-12-31"):
        assert web.get(page.format(day=day).replace("2026-01-01", day)).status_code == 200


@pytest.mark.parametrize("number", ["9" * 30, "²", "-1", "1.5"])
def test_it_refuses_a_client_number_no_row_can_have(
    web: WebClient, owner: User, number: str
) -> None:
    web.force_login(owner)
    assert web.get(f"/audit/?client={number}").status_code == 400


# ASCII digits only: int() reads '٣' as 3 and str.isdigit() passes '²' on to int(), which fails.
NOT_IDS = ["\u00b2", "\u0663", "\uff13", "9" * 30, "0", "-1", "", "first"]


@pytest.mark.parametrize("sent", NOT_IDS)
def test_it_refuses_a_tick_that_names_no_exercise(
    web: WebClient, alice: User, prescribed: PrescribedExercise, sent: str
) -> None:
    episode = prescribed.programme.episode
    web.force_login(alice)
    link = make_link(web, episode)
    web.logout()
    response = web.post(link, {"exercise": sent, "done": "yes"})
    assert response.status_code == 400
    assert response.content == b"Unknown exercise."
    assert not AdherenceLog.objects.exists()
    assert web.post(link, {"exercise": str(prescribed.pk), "done": "yes"}).status_code == 302
    assert AdherenceLog.objects.count() == 1


@pytest.mark.parametrize("sent", NOT_IDS)
def test_it_refuses_to_lift_a_hold_named_by_anything_but_its_number(
    web: WebClient, owner: User, alices_client: Client, sent: str
) -> None:
    hold = LegalHold.objects.create(
        clinic=alices_client.clinic, client=alices_client, reason="Complaint", placed_by=owner
    )
    web.force_login(owner)
    lift = f"/clients/{alices_client.pk}/legal-hold/lift/"
    response = web.post(lift, {"hold": sent})
    assert response.status_code == 400
    assert "Say which legal hold to lift" in response.content.decode()
    hold.refresh_from_db()
    assert hold.is_active

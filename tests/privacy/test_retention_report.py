"""The retention report, on the owner's page and from `softtissue retention`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from softtissue.privacy.models import LegalHold
from tests.privacy.old_records import treated_client


@pytest.fixture
def clients(clinic_a: Clinic, clinic_b: Clinic, alice: User, charlie: User) -> dict[str, Client]:
    return {
        "due": treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Due"),
        "recent": treated_client(clinic_a, alice, date(1960, 1, 1), date(2024, 1, 1), "Recent"),
        "child": treated_client(clinic_a, alice, date(2010, 1, 1), date(2012, 1, 1), "Child"),
        "held": treated_client(clinic_a, alice, date(1960, 1, 1), date(2011, 1, 1), "Held"),
        "other": treated_client(clinic_b, charlie, date(1960, 1, 1), date(2010, 1, 1), "Other"),
    }


@pytest.fixture
def hold(clients: dict[str, Client], owner: User) -> LegalHold:
    held = clients["held"]
    return LegalHold.objects.create(
        clinic=held.clinic, client=held, reason="Claim", placed_by=owner
    )


def test_it_lists_only_records_past_retention_without_a_hold(
    web: WebClient, owner: User, clients: dict[str, Client], hold: LegalHold
) -> None:
    web.force_login(owner)
    response = web.get("/privacy/retention/")
    assert response.status_code == 200
    assert [row.client_id for row in response.context["due"]] == [clients["due"].pk]
    page = response.content.decode()
    assert "Edith Due" in page
    assert "2019-01-01" in page
    assert "Edith Other" not in page


@pytest.mark.parametrize("who", ["alice", "reception"])
def test_it_shows_the_report_to_the_owner_only(
    web: WebClient, request: pytest.FixtureRequest, who: str
) -> None:
    web.force_login(request.getfixturevalue(who))
    assert web.get("/privacy/retention/").status_code == 403


def test_it_prints_the_report_as_json(
    clients: dict[str, Client], hold: LegalHold, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("retention", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["policy"] == {"years_after_last_treatment": 7, "child_age": 25}
    by_clinic = {clinic["clinic"]: clinic["due"] for clinic in report["clinics"]}
    assert by_clinic[clients["due"].clinic_id] == [
        {
            "client": clients["due"].pk,
            "last_activity": "2012-01-01",
            "erase_from": "2019-01-01",
            "reason": "kept 7 years after the last treatment (2012-01-01)",
        }
    ]
    assert [row["client"] for row in by_clinic[clients["other"].clinic_id]] == [clients["other"].pk]
    assert "Edith" not in json.dumps(report)


def test_it_prints_a_table(clients: dict[str, Client], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("retention", "--clinic", str(clients["due"].clinic_id))
    out = capsys.readouterr().out
    assert "2019-01-01" in out


def test_it_refuses_an_unknown_clinic(db: None) -> None:
    with pytest.raises(CommandError, match="no clinic 999"):
        call_command("retention", "--clinic", "999")

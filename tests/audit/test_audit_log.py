"""The owner's audit log: filters, pages, CSV, and nobody else's events."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import record


@pytest.fixture
def events(clinic_a: Clinic, clinic_b: Clinic, alice: User, bob: User) -> None:
    record(
        "view",
        object_type="clients.Client",
        object_id=1,
        client_id=1,
        clinic_id=clinic_a.pk,
        user_id=alice.pk,
    )
    record(
        "view",
        object_type="clients.Client",
        object_id=2,
        client_id=2,
        clinic_id=clinic_a.pk,
        user_id=bob.pk,
    )
    record(
        "sign",
        object_type="treatments.TreatmentNote",
        object_id=5,
        client_id=2,
        clinic_id=clinic_a.pk,
        user_id=bob.pk,
    )
    record("view", object_type="clients.Client", object_id=99, client_id=99, clinic_id=clinic_b.pk)


def shown(web: WebClient, query: str = "") -> list[AuditEvent]:
    response = web.get(f"/audit/?{query}")
    assert response.status_code == 200, response.content[:500]
    # force_login records a login of its own; these tests are about the other events.
    return [event for event in response.context["page"] if event.action != "login"]


def test_it_shows_the_owner_every_event_of_their_clinic_only(
    web: WebClient, owner: User, events: None
) -> None:
    web.force_login(owner)
    found = shown(web)
    assert {e.object_id for e in found} == {1, 2, 5}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("client=2", {2, 5}),
        ("action=sign", {5}),
        ("object_type=treatments.TreatmentNote", {5}),
    ],
)
def test_it_filters(
    web: WebClient, owner: User, events: None, query: str, expected: set[int]
) -> None:
    web.force_login(owner)
    assert {e.object_id for e in shown(web, query)} == expected


def test_it_filters_by_user(web: WebClient, owner: User, bob: User, events: None) -> None:
    web.force_login(owner)
    assert {e.object_id for e in shown(web, f"user={bob.pk}")} == {2, 5}


def test_it_filters_by_date(web: WebClient, owner: User, events: None) -> None:
    web.force_login(owner)
    today = timezone.localdate()
    assert len(shown(web, f"start={today}&end={today}")) >= 3
    yesterday = today - timedelta(days=1)
    assert shown(web, f"start={yesterday - timedelta(days=5)}&end={yesterday}") == []


def test_it_refuses_a_period_that_ends_before_it_starts(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    response = web.get("/audit/?start=2026-02-01&end=2026-01-01")
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_it_refuses_another_clinics_user_as_a_filter(
    web: WebClient, owner: User, charlie: User, events: None
) -> None:
    web.force_login(owner)
    assert web.get(f"/audit/?user={charlie.pk}").status_code == 400


def test_it_pages_fifty_events_at_a_time(web: WebClient, owner: User, clinic_a: Clinic) -> None:
    for number in range(120):
        record("view", object_id=number + 1, clinic_id=clinic_a.pk)
    web.force_login(owner)
    assert len(web.get("/audit/").context["page"]) == 50
    response = web.get("/audit/?page=3")
    assert response.context["page"].number == 3
    assert len(response.context["page"]) >= 20


def test_it_exports_the_filtered_view_as_csv(web: WebClient, owner: User, events: None) -> None:
    web.force_login(owner)
    response = web.get("/audit/export.csv?client=2")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert sorted(row["object_id"] for row in rows) == ["2", "5"]
    assert {row["user"] for row in rows} == {"bob@example.org"}
    assert AuditEvent.objects.filter(action="export", user=owner).exists()


def test_it_defuses_formulas_in_the_csv(web: WebClient, owner: User, clinic_a: Clinic) -> None:
    web.force_login(owner)
    web.get("/clients/", HTTP_USER_AGENT='=HYPERLINK("http://x")')
    response = web.get("/audit/export.csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("who", ["alice", "reception"])
@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv"])
def test_it_refuses_everyone_but_the_owner(
    web: WebClient, request: pytest.FixtureRequest, who: str, url: str
) -> None:
    web.force_login(request.getfixturevalue(who))
    assert web.get(url).status_code == 403


def test_it_shows_another_clinics_owner_none_of_these_events(
    web: WebClient, charlie: User, events: None
) -> None:
    web.force_login(charlie)
    assert {e.object_id for e in shown(web)} == {99}

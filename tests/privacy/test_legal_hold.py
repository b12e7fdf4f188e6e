"""Legal holds: the owner places and lifts them; a hold keeps the record off the report."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client
from softtissue.privacy.models import LegalHold
from tests.privacy.old_records import treated_client


@pytest.fixture
def old_client(clinic_a: Clinic, alice: User) -> Client:
    return treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))


def test_it_places_and_lifts_a_hold(web: WebClient, owner: User, old_client: Client) -> None:
    web.force_login(owner)
    response = web.post(
        f"/clients/{old_client.pk}/legal-hold/", {"reason": "Insurer notified of a claim"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(client=old_client)
    assert (hold.reason, hold.placed_by, hold.is_active) == (
        "Insurer notified of a claim",
        owner,
        True,
    )
    page = web.get(f"/clients/{old_client.pk}/privacy/").content.decode()
    assert "A legal hold placed on" in page
    response = web.post(f"/clients/{old_client.pk}/legal-hold/lift/", {"hold": hold.pk})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.is_active, hold.lifted_by) == (False, owner)
    actions = set(
        AuditEvent.objects.filter(client_id=old_client.pk).values_list("action", flat=True)
    )
    assert {"hold", "release"} <= actions


def test_it_refuses_to_lift_an_unnamed_or_unknown_hold(
    web: WebClient, owner: User, old_client: Client
) -> None:
    hold = LegalHold.objects.create(
        clinic=old_client.clinic, client=old_client, reason="Complaint", placed_by=owner
    )
    web.force_login(owner)
    lift = f"/clients/{old_client.pk}/legal-hold/lift/"
    assert web.post(lift, {"hold": "first"}).status_code == 400
    assert web.post(lift, {"hold": hold.pk + 1}).status_code == 404
    other = Client.objects.create(
        clinic=old_client.clinic,
        first_name="O",
        last_name="P",
        date_of_birth=old_client.date_of_birth,
    )
    assert web.post(f"/clients/{other.pk}/legal-hold/lift/", {"hold": hold.pk}).status_code == 404
    hold.refresh_from_db()
    assert hold.is_active


def test_it_needs_a_reason(web: WebClient, owner: User, old_client: Client) -> None:
    web.force_login(owner)
    response = web.post(f"/clients/{old_client.pk}/legal-hold/", {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_it_keeps_a_held_record_off_the_report(
    web: WebClient, owner: User, old_client: Client
) -> None:
    web.force_login(owner)
    due = [row.client_id for row in web.get("/privacy/retention/").context["due"]]
    assert due == [old_client.pk]
    LegalHold.objects.create(
        clinic=old_client.clinic, client=old_client, reason="Complaint", placed_by=owner
    )
    response = web.get("/privacy/retention/")
    assert response.context["due"] == []
    assert "Complaint" in response.content.decode()


def test_it_answers_404_for_another_clinics_client_or_hold(
    web: WebClient, owner: User, charlie: User, old_client: Client
) -> None:
    hold = LegalHold.objects.create(
        clinic=old_client.clinic, client=old_client, reason="Complaint", placed_by=owner
    )
    web.force_login(charlie)
    assert web.get(f"/clients/{old_client.pk}/privacy/").status_code == 404
    assert web.post(f"/clients/{old_client.pk}/legal-hold/", {"reason": "x"}).status_code == 404
    lift = f"/clients/{old_client.pk}/legal-hold/lift/"
    assert web.post(lift, {"hold": hold.pk}).status_code == 404
    hold.refresh_from_db()
    assert hold.is_active
    assert LegalHold.objects.count() == 1


@pytest.mark.parametrize("who", ["alice", "reception"])
def test_it_lets_only_the_owner_hold(
    web: WebClient, request: pytest.FixtureRequest, old_client: Client, who: str
) -> None:
    web.force_login(request.getfixturevalue(who))
    assert web.get(f"/clients/{old_client.pk}/privacy/").status_code == 403
    assert web.post(f"/clients/{old_client.pk}/legal-hold/", {"reason": "x"}).status_code == 403
    assert not LegalHold.objects.exists()

"""Every request to a client or clinical page leaves one event: who, what, when, from where."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client


@pytest.fixture
def client_a(clinic_a: Clinic) -> Client:
    return Client.objects.create(
        clinic=clinic_a, first_name="Ada", last_name="Lovelace", date_of_birth=date(1990, 1, 2)
    )


@pytest.fixture
def episode_a(client_a: Client) -> Episode:
    return Episode.objects.create(
        clinic=client_a.clinic,
        client=client_a,
        presenting_problem="Sore knee",
        region="region.knee",
    )


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_it_records_a_view_of_a_client(web: WebClient, alice: User, client_a: Client) -> None:
    web.force_login(alice)
    before = AuditEvent.objects.count()
    response = web.get(f"/clients/{client_a.pk}/", HTTP_USER_AGENT="TestBrowser/1.0")
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "view",
        "clients.Client",
        client_a.pk,
    )
    assert (event.client_id, event.user_id, event.clinic_id) == (
        client_a.pk,
        alice.pk,
        client_a.clinic_id,
    )
    assert (event.url_name, event.method, event.status_code) == ("client_detail", "GET", 200)
    assert event.remote_addr == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"


def test_it_finds_the_client_of_an_episode_page(
    web: WebClient, alice: User, episode_a: Episode
) -> None:
    web.force_login(alice)
    web.get(f"/episodes/{episode_a.pk}/")
    event = last_event()
    assert (event.object_type, event.object_id) == ("assessments.Episode", episode_a.pk)
    assert event.client_id == episode_a.client_id


def test_it_records_reception_refused_as_denied(
    web: WebClient, reception: User, episode_a: Episode
) -> None:
    web.force_login(reception)
    assert web.get(f"/episodes/{episode_a.pk}/").status_code == 403
    event = last_event()
    assert (event.action, event.status_code, event.user_id) == ("denied", 403, reception.pk)
    assert event.client_id is None


def test_it_records_another_clinics_id_as_not_found_without_naming_the_client(
    web: WebClient, charlie: User, client_a: Client
) -> None:
    web.force_login(charlie)
    assert web.get(f"/clients/{client_a.pk}/").status_code == 404
    event = last_event()
    assert (event.action, event.clinic_id, event.object_id) == (
        "not_found",
        charlie.membership.clinic_id,
        client_a.pk,
    )
    assert event.client_id is None


def test_it_records_a_visitor_sent_to_log_in(web: WebClient, client_a: Client) -> None:
    assert web.get(f"/clients/{client_a.pk}/").status_code == 302
    event = last_event()
    assert (event.action, event.user_id, event.clinic_id) == ("denied", None, None)


def test_it_records_bad_input(web: WebClient, alice: User, client_a: Client) -> None:
    web.force_login(alice)
    response = web.post(f"/clients/{client_a.pk}/edit/", {"first_name": ""})
    assert response.status_code == 400
    event = last_event()
    assert (event.action, event.method, event.status_code) == ("bad_request", "POST", 400)


def test_it_records_a_forged_csrf_token(alice: User, client_a: Client) -> None:
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(alice)
    response = web.post(f"/clients/{client_a.pk}/edit/", {"first_name": "X"})
    assert response.status_code == 403
    assert last_event().action == "denied"


def test_it_records_a_submitted_change_and_the_row_it_changed(
    web: WebClient, alice: User, client_a: Client
) -> None:
    web.force_login(alice)
    data = {"first_name": "Ada", "last_name": "King", "date_of_birth": "1990-01-02"}
    response = web.post(f"/clients/{client_a.pk}/edit/", data)
    assert response.status_code == 302
    actions = list(
        AuditEvent.objects.filter(client_id=client_a.pk)
        .order_by("pk")
        .values_list("action", "object_type", "user_id")
    )
    assert ("update", "clients.Client", alice.pk) in actions
    assert actions[-1] == ("submit", "clients.Client", alice.pk)


def test_it_skips_pages_that_show_no_client_record(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    before = AuditEvent.objects.count()
    assert web.get("/").status_code == 200
    assert AuditEvent.objects.count() == before


def test_it_never_keeps_the_query_string(web: WebClient, alice: User, client_a: Client) -> None:
    web.force_login(alice)
    web.get("/clients/?q=Lovelace")
    event = last_event()
    assert event.url_name == "client_list"
    assert not any("Lovelace" in str(value) for value in vars(event).values())


def test_it_trusts_x_forwarded_for_only_behind_a_proxy(
    web: WebClient, alice: User, client_a: Client, settings: Any
) -> None:
    web.force_login(alice)
    settings.SOFTTISSUE_BEHIND_PROXY = False
    web.get(f"/clients/{client_a.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert last_event().remote_addr == "127.0.0.1"
    settings.SOFTTISSUE_BEHIND_PROXY = True
    web.get(f"/clients/{client_a.pk}/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert last_event().remote_addr == "203.0.113.9"


@pytest.mark.django_db(transaction=True)
def test_it_commits_the_event_outside_a_test_transaction(clinic_a: Clinic, alice: User) -> None:
    client = Client.objects.create(
        clinic=clinic_a, first_name="Ada", last_name="Lovelace", date_of_birth=date(1990, 1, 2)
    )
    episode = Episode.objects.create(
        clinic=clinic_a, client=client, presenting_problem="Sore knee", region="region.knee"
    )
    web = WebClient()
    web.force_login(alice)
    assert web.get(f"/episodes/{episode.pk}/").status_code == 200
    event = AuditEvent.objects.get(url_name="episode_detail")
    assert (event.client_id, event.user_id) == (client.pk, alice.pk)

"""Changes of clinical rows, signing and logins each leave an event of their own."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client, ClientSearchTerm
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import add_addendum, sign_note
from tests.conftest import PASSWORD


@pytest.fixture
def episode_a(clinic_a: Clinic) -> Episode:
    client = Client.objects.create(
        clinic=clinic_a, first_name="Ada", last_name="Byron", date_of_birth=date(1990, 1, 2)
    )
    return Episode.objects.create(
        clinic=clinic_a, client=client, presenting_problem="Sore knee", region="region.knee"
    )


def events_for(model: str) -> list[tuple[str, int | None, int | None]]:
    return list(
        AuditEvent.objects.filter(object_type=model)
        .order_by("pk")
        .values_list("action", "object_id", "client_id")
    )


def test_it_records_create_update_and_delete_with_the_client(episode_a: Episode) -> None:
    client_id = episode_a.client_id
    assert events_for("assessments.Episode") == [("create", episode_a.pk, client_id)]
    episode_a.region = "region.hip"
    episode_a.save()
    pk = episode_a.pk
    episode_a.delete()
    assert events_for("assessments.Episode") == [
        ("create", pk, client_id),
        ("update", pk, client_id),
        ("delete", pk, client_id),
    ]


def test_it_skips_the_search_terms_rewritten_on_every_save(episode_a: Episode) -> None:
    assert ClientSearchTerm.objects.exists()
    assert not AuditEvent.objects.filter(object_type="clients.ClientSearchTerm").exists()


def test_it_records_signing_a_note_and_its_addendum(episode_a: Episode, alice: User) -> None:
    note = TreatmentNote.objects.create(
        clinic=episode_a.clinic, episode=episode_a, subjective="Better"
    )
    sign_note(note.pk, note.clinic_id, alice)
    addendum = add_addendum(note.pk, note.clinic_id, alice, "Phoned: still better")
    assert events_for("treatments.TreatmentNote") == [
        ("create", note.pk, episode_a.client_id),
        ("sign", note.pk, episode_a.client_id),
    ]
    assert events_for("treatments.Addendum") == [("sign", addendum.pk, episode_a.client_id)]


def test_it_names_the_user_who_signed_through_the_page(
    web: WebClient, episode_a: Episode, alice: User
) -> None:
    note = TreatmentNote.objects.create(
        clinic=episode_a.clinic, episode=episode_a, subjective="Better"
    )
    web.force_login(alice)
    response = web.post(f"/notes/{note.pk}/sign/")
    assert response.status_code == 302
    sign = AuditEvent.objects.get(action="sign", object_id=note.pk)
    assert (sign.user_id, sign.clinic_id, sign.remote_addr) == (
        alice.pk,
        note.clinic_id,
        "127.0.0.1",
    )


def test_it_records_a_login(web: WebClient, alice: User) -> None:
    response = web.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert (event.user_id, event.clinic_id, event.remote_addr) == (
        alice.pk,
        alice.membership.clinic_id,
        "127.0.0.1",
    )


def test_it_records_a_failed_login_for_a_known_user(web: WebClient, alice: User) -> None:
    web.post("/login/", {"username": "Alice@Example.org", "password": "wrong-password-1"})
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.user_id, event.clinic_id) == (alice.pk, alice.membership.clinic_id)


def test_it_keeps_nothing_typed_for_an_unknown_email(web: WebClient, alice: User) -> None:
    web.post("/login/", {"username": "zanzibar@example.org", "password": "wrong-password-1"})
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.user_id, event.clinic_id) == (None, None)
    assert not any("zanzibar" in str(value) for value in vars(event).values())

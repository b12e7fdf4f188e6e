"""Erasure on request: everything goes in one transaction, the signing chain still verifies."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import CLIENT_PATHS
from softtissue.clients.models import Client
from softtissue.privacy.erasure import ErasureRefused, erase_client
from softtissue.privacy.models import ErasedLink, LegalHold
from softtissue.treatments.models import Addendum, TreatmentNote
from softtissue.treatments.signing import sign_note, verify_clinic
from tests.privacy.old_records import treated_client
from tests.records import build_full_record

LONG_AFTER = date(2100, 1, 1)


def test_it_erases_every_row_of_the_record(clinic_a: Clinic, alice: User, owner: User) -> None:
    full = build_full_record(clinic_a, alice)
    other = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Keeper")
    erased = erase_client(full.client.pk, clinic_a, owner, "harriet  QUILLFEATHER", LONG_AFTER)
    for row in full.rows():
        # Rows of the client's record go; anything else (a therapist's API token) stays. A new
        # kind of client row must be added to the audit's CLIENT_PATHS, or this fails.
        kept = type(row)._default_manager.filter(pk=row.pk).exists()
        assert kept is (row._meta.label not in CLIENT_PATHS), row._meta.label
    assert not Client.objects.filter(pk=full.client.pk).exists()
    assert Client.objects.filter(pk=other.pk).exists()
    assert TreatmentNote.objects.filter(episode__client=other).count() == 1
    assert erased.chain_links == 2
    assert erased.rows > len(full.rows())


def test_it_keeps_the_chain_verifiable(clinic_a: Clinic, alice: User, owner: User) -> None:
    before = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Before")
    gone = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Gone")
    after = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "After")
    erase_client(gone.pk, clinic_a, owner, "Edith Gone", LONG_AFTER)
    assert ErasedLink.objects.filter(clinic=clinic_a).count() == 2
    assert verify_clinic(clinic_a.pk) == (6, [])
    assert before.pk and after.pk
    call_command("verify-notes")


def test_it_continues_the_chain_after_an_erased_head(
    clinic_a: Clinic, alice: User, owner: User
) -> None:
    kept = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Kept")
    gone = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Gone")
    erase_client(gone.pk, clinic_a, owner, "Edith Gone", LONG_AFTER)
    episode = kept.episodes.get()
    note = TreatmentNote.objects.create(clinic=clinic_a, episode=episode, subjective="Later")
    signed = sign_note(note.pk, clinic_a.pk, alice)
    assert signed.sequence == 5
    assert signed.previous_hash == ErasedLink.objects.get(sequence=4).content_hash
    assert verify_clinic(clinic_a.pk) == (5, [])


def test_it_notices_a_tampered_erased_link(clinic_a: Clinic, alice: User, owner: User) -> None:
    gone = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Gone")
    treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "After")
    erase_client(gone.pk, clinic_a, owner, "Edith Gone", LONG_AFTER)
    ErasedLink.objects.filter(sequence=2).update(content_hash="f" * 64)
    _, problems = verify_clinic(clinic_a.pk)
    # The erased link no longer matches the head anchored at its place; the next note no
    # longer follows it.
    assert [(p.kind, p.reason) for p in problems] == [
        ("erased", "does not match the head anchored in the audit trail at its place"),
        ("note", "does not follow the previous link"),
    ]


def test_it_records_one_event_without_the_name(clinic_a: Clinic, alice: User, owner: User) -> None:
    gone = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1), "Zabaglione")
    before = AuditEvent.objects.count()
    erase_client(gone.pk, clinic_a, owner, "Edith Zabaglione", LONG_AFTER)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="erase")
    assert (event.client_id, event.user_id, event.clinic_id) == (gone.pk, owner.pk, clinic_a.pk)
    assert "Zabaglione" not in repr(list(AuditEvent.objects.values()))


def test_it_refuses_within_retention_with_the_date(
    clinic_a: Clinic, alice: User, owner: User
) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2020, 6, 1))
    with pytest.raises(ErasureRefused, match="kept until 1 June 2027"):
        erase_client(client.pk, clinic_a, owner, "Edith Marchbanks", date(2027, 5, 31))
    assert Client.objects.filter(pk=client.pk).exists()
    erase_client(client.pk, clinic_a, owner, "Edith Marchbanks", date(2027, 6, 1))
    assert not Client.objects.filter(pk=client.pk).exists()


def test_it_refuses_a_child_until_25(clinic_a: Clinic, alice: User, owner: User) -> None:
    client = treated_client(clinic_a, alice, date(2008, 9, 9), date(2012, 1, 1))
    with pytest.raises(ErasureRefused, match="until 9 September 2033"):
        erase_client(client.pk, clinic_a, owner, "Edith Marchbanks", date(2033, 9, 8))


def test_it_refuses_under_a_legal_hold(clinic_a: Clinic, alice: User, owner: User) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))
    LegalHold.objects.create(
        clinic=clinic_a, client=client, reason="Claim notified", placed_by=owner
    )
    with pytest.raises(ErasureRefused, match=r"legal hold .*Claim notified"):
        erase_client(client.pk, clinic_a, owner, "Edith Marchbanks", LONG_AFTER)
    assert Addendum.objects.filter(note__episode__client=client).exists()


def test_it_refuses_a_mistyped_name(clinic_a: Clinic, alice: User, owner: User) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))
    with pytest.raises(ErasureRefused, match="does not match"):
        erase_client(client.pk, clinic_a, owner, "Edith Marchbank", LONG_AFTER)
    assert not ErasedLink.objects.exists()


def test_it_erases_through_the_page(
    web: WebClient, clinic_a: Clinic, alice: User, owner: User
) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))
    web.force_login(owner)
    response = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "Edith Marchbanks"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/retention/"
    assert not Client.objects.filter(pk=client.pk).exists()


def test_it_shows_the_refusal_and_the_date_on_the_page(
    web: WebClient, clinic_a: Clinic, alice: User, owner: User
) -> None:
    client = Client.objects.create(
        clinic=clinic_a, first_name="Noor", last_name="Haq", date_of_birth=date(1985, 1, 1)
    )
    web.force_login(owner)
    response = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "Noor Haq"})
    assert response.status_code == 409
    assert "must be kept until" in response.content.decode()
    response = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": ""})
    assert response.status_code == 400
    assert Client.objects.filter(pk=client.pk).exists()


def test_it_answers_404_for_another_clinics_client(
    web: WebClient, clinic_a: Clinic, alice: User, charlie: User
) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))
    web.force_login(charlie)
    response = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "Edith Marchbanks"})
    assert response.status_code == 404
    assert Client.objects.filter(pk=client.pk).exists()


@pytest.mark.parametrize("who", ["alice", "reception"])
def test_it_lets_only_the_owner_erase(
    web: WebClient, clinic_a: Clinic, alice: User, request: pytest.FixtureRequest, who: str
) -> None:
    client = treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))
    web.force_login(request.getfixturevalue(who))
    response = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "Edith Marchbanks"})
    assert response.status_code == 403
    assert Client.objects.filter(pk=client.pk).exists()

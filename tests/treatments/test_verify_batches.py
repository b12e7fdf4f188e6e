"""verify-notes reads the chain in batches: a chain longer than one batch checks as a whole."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from softtissue.privacy.erasure import erase_client
from softtissue.treatments import signing
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import verify_clinic
from tests.privacy.old_records import treated_client

LONG_AFTER = date(2100, 1, 1)
NAMES = ("Ash", "Birch", "Cedar", "Damson", "Elm")


@pytest.fixture
def long_chain(clinic_a: Clinic, alice: User, monkeypatch: pytest.MonkeyPatch) -> list[Client]:
    # Batches of two links: five clients' notes and addenda make a chain of five batches.
    monkeypatch.setattr(signing, "VERIFY_BATCH", 2)
    born, treated = date(1960, 1, 1), date(2012, 1, 1)
    return [treated_client(clinic_a, alice, born, treated, name) for name in NAMES]


def test_it_verifies_a_chain_spanning_several_batches(
    clinic_a: Clinic, long_chain: list[Client], capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify_clinic(clinic_a.pk) == (10, [])
    call_command("verify-notes")
    assert capsys.readouterr().out == "10 signed records verified: every chain is intact.\n"


def test_it_verifies_erased_links_between_batches(
    clinic_a: Clinic, owner: User, long_chain: list[Client]
) -> None:
    erase_client(long_chain[2].pk, clinic_a, owner, "Edith Cedar", LONG_AFTER)
    assert verify_clinic(clinic_a.pk) == (10, [])


def test_it_names_a_tampered_note_in_a_later_batch(
    clinic_a: Clinic, long_chain: list[Client]
) -> None:
    last = TreatmentNote.objects.get(episode__client=long_chain[-1])
    TreatmentNote.objects.filter(pk=last.pk).update(subjective="Lifts the kettle easily")
    checked, problems = verify_clinic(clinic_a.pk)
    assert checked == 10
    assert [(p.kind, p.note.pk, p.reason) for p in problems] == [
        ("note", last.pk, "content changed after signing")
    ]
    assert last.sequence == 9


def test_it_names_a_link_missing_from_a_later_batch(
    clinic_a: Clinic, long_chain: list[Client]
) -> None:
    later = TreatmentNote.objects.get(episode__client=long_chain[3])
    last = TreatmentNote.objects.get(episode__client=long_chain[4])
    later.addenda.all()._raw_delete(later.addenda.db)  # type: ignore[attr-defined]
    checked, problems = verify_clinic(clinic_a.pk)
    assert checked == 9
    assert [(p.kind, p.note.pk, p.reason) for p in problems] == [
        ("missing", later.pk, "lost its addendum at place 8 (deleted after signing)"),
        ("note", last.pk, "out of place (9)"),
        ("addendum", last.pk, "out of place (10)"),
    ]

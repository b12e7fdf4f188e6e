"""The chain's head is anchored outside the notes' tables, keyed with a key the database lacks.

Issue 22, item 2: deleting the newest signed note, un-signing it, and deleting a note while
inserting an ErasedLink that copies its hashes all passed verify-notes.
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.guard import unlocked
from softtissue.audit.models import AppendOnlyError, ChainAnchor
from softtissue.clients.models import Client
from softtissue.privacy.erasure import erase_client
from softtissue.privacy.models import ErasedLink
from softtissue.treatments import anchors
from softtissue.treatments.models import Addendum, TreatmentNote
from softtissue.treatments.signing import (
    add_addendum,
    addendum_content,
    chain_hash,
    note_content,
    sign_note,
    verify_clinic,
)
from tests.privacy.old_records import treated_client

LONG_AFTER = date(2100, 1, 1)
TREATED = date(2012, 1, 1)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test's own data directory, so each makes (or lacks) its own chain key."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def chain(clinic_a: Clinic, alice: User) -> list[Client]:
    """Two clients, each with a signed note and its addendum: places 1 to 4."""
    born = date(1960, 1, 1)
    return [treated_client(clinic_a, alice, born, TREATED, name) for name in ("Ash", "Birch")]


def newest(clinic: Clinic) -> TreatmentNote:
    return TreatmentNote.objects.filter(clinic=clinic).order_by("-sequence").first()  # type: ignore[return-value]


def verify_notes_fails(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("verify-notes")
    assert raised.value.returncode == 1
    return capsys.readouterr().err


def sign_one_more(clinic: Clinic, user: User, client: Client) -> TreatmentNote:
    episode = client.episodes.get()
    note = TreatmentNote.objects.create(clinic=clinic, episode=episode, subjective="Later")
    return sign_note(note.pk, clinic.pk, user)


def test_it_anchors_each_signing(clinic_a: Clinic, alice: User, chain: list[Client]) -> None:
    anchored = ChainAnchor.objects.filter(clinic=clinic_a).order_by("sequence")
    notes = TreatmentNote.objects.filter(clinic=clinic_a).order_by("sequence")
    assert [(a.sequence, a.kind) for a in anchored] == [
        (1, "note"),
        (2, "addendum"),
        (3, "note"),
        (4, "addendum"),
    ]
    assert [a.head for a in anchored if a.kind == "note"] == [n.content_hash for n in notes]
    assert [a.client_number for a in anchored] == [chain[0].pk] * 2 + [chain[1].pk] * 2
    assert verify_clinic(clinic_a.pk) == (4, [])


def test_it_names_the_newest_note_deleted(
    clinic_a: Clinic, alice: User, chain: list[Client], capsys: pytest.CaptureFixture[str]
) -> None:
    note = sign_one_more(clinic_a, alice, chain[1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM treatments_treatmentnote WHERE id = %s", [note.pk])
    err = verify_notes_fails(capsys)
    assert (
        f"TAMPERED: note {note.pk} in clinic {clinic_a.pk} is gone from place 5 "
        "(deleted, or un-signed after signing)"
    ) in err


def test_it_names_the_newest_note_unsigned(
    web: WebClient,
    clinic_a: Clinic,
    alice: User,
    chain: list[Client],
    capsys: pytest.CaptureFixture[str],
) -> None:
    note = sign_one_more(clinic_a, alice, chain[1])
    TreatmentNote.objects.filter(pk=note.pk).update(
        status="draft",
        signed_at=None,
        signed_by=None,
        sequence=None,
        content_hash="",
        previous_hash="",
    )
    TreatmentNote.objects.get(pk=note.pk).save()  # a draft again: editable
    err = verify_notes_fails(capsys)
    assert f"TAMPERED: note {note.pk} in clinic {clinic_a.pk} is gone from place 5" in err


def test_it_names_a_newest_addendum_deleted(clinic_a: Clinic, chain: list[Client]) -> None:
    note = newest(clinic_a)
    note.addenda.all()._raw_delete(note.addenda.db)  # type: ignore[attr-defined]
    _, problems = verify_clinic(clinic_a.pk)
    assert [(p.kind, p.note.pk, p.reason) for p in problems] == [
        ("missing", note.pk, "lost its addendum at place 4 (deleted after signing)")
    ]


def forge_erased(note: TreatmentNote, client_number: int) -> None:
    """Delete a signed note and put an erased link in its place that copies its hashes."""
    with connection.cursor() as cursor:
        for table, column in (
            ("treatments_addendum", "note_id"),
            ("treatments_treatmentnote", "id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [note.pk])  # noqa: S608
    ErasedLink.objects.create(
        clinic_id=note.clinic_id,
        sequence=note.sequence or 0,
        kind="note",
        note_number=note.pk,
        client_number=client_number,
        content_hash=note.content_hash,
        previous_hash=note.previous_hash,
    )


def test_it_names_an_erased_link_whose_client_is_still_on_record(
    clinic_a: Clinic, alice: User, chain: list[Client], capsys: pytest.CaptureFixture[str]
) -> None:
    note = sign_one_more(clinic_a, alice, chain[0])
    forge_erased(note, chain[0].pk)
    err = verify_notes_fails(capsys)
    assert (
        f"TAMPERED: erased link of note {note.pk} in clinic {clinic_a.pk}: is not erased: "
        f"its client ({chain[0].pk}) is still on record"
    ) in err


def test_it_names_an_erased_link_that_borrows_another_clients_erasure(
    clinic_a: Clinic, alice: User, owner: User, chain: list[Client]
) -> None:
    gone = treated_client(clinic_a, alice, date(1960, 1, 1), TREATED, "Cedar")
    erase_client(gone.pk, clinic_a, owner, "Edith Cedar", LONG_AFTER)
    note = sign_one_more(clinic_a, alice, chain[0])
    forge_erased(note, gone.pk)
    _, problems = verify_clinic(clinic_a.pk)
    assert [(p.kind, p.note.pk, p.reason) for p in problems] == [
        ("erased", note.pk, "does not match the head anchored in the audit trail at its place")
    ]


def test_it_passes_a_real_erasure(
    clinic_a: Clinic, alice: User, owner: User, chain: list[Client]
) -> None:
    erase_client(chain[0].pk, clinic_a, owner, "Edith Ash", LONG_AFTER)
    sign_one_more(clinic_a, alice, chain[1])
    assert verify_clinic(clinic_a.pk) == (5, [])


def rechain(clinic: Clinic) -> dict[int, str]:
    """Rewrite the first note and recompute every hash after it, as anyone with the database
    can (SHA-256 needs no key); the new head of each place."""
    links: list[TreatmentNote | Addendum] = [
        *TreatmentNote.objects.filter(clinic=clinic, sequence__isnull=False),
        *Addendum.objects.filter(clinic=clinic),
    ]
    previous, heads = "", {}
    for link in sorted(links, key=lambda row: row.sequence or 0):
        if isinstance(link, TreatmentNote):
            if link.sequence == 1:
                link.subjective = "Could lift the kettle"
            content = note_content(link)
        else:
            content = addendum_content(link)
        link.previous_hash, link.content_hash = previous, chain_hash(content, previous)
        type(link).objects.filter(pk=link.pk).update(
            previous_hash=link.previous_hash,
            content_hash=link.content_hash,
            **({"subjective": link.subjective} if isinstance(link, TreatmentNote) else {}),
        )
        previous = heads[link.sequence or 0] = link.content_hash
    return heads


def test_it_names_a_chain_recomputed_after_a_rewrite(clinic_a: Clinic, chain: list[Client]) -> None:
    rechain(clinic_a)
    _, problems = verify_clinic(clinic_a.pk)
    mismatch = "does not match the head anchored in the audit trail at its place"
    assert [p.reason for p in problems] == [mismatch] * 4


def test_it_names_anchors_rewritten_without_the_key(clinic_a: Clinic, chain: list[Client]) -> None:
    heads = rechain(clinic_a)
    # The triggers bypassed and the anchored heads rewritten too: but not their HMACs.
    with unlocked(), connection.cursor() as cursor:
        for sequence, head in heads.items():
            cursor.execute(
                "UPDATE audit_chainanchor SET head = %s WHERE clinic_id = %s AND sequence = %s",
                [head, clinic_a.pk, sequence],
            )
    _, problems = verify_clinic(clinic_a.pk)
    forged = "its anchor in the audit trail was forged (the HMAC does not match)"
    assert [p.reason for p in problems] == [forged] * 4


def test_it_keeps_the_key_in_the_data_directory_owner_only(
    data_dir: Path, clinic_a: Clinic, chain: list[Client]
) -> None:
    key_file = data_dir / "chain_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = bytes.fromhex(key_file.read_text())
    assert len(key) == 32
    for anchor in ChainAnchor.objects.filter(clinic=clinic_a):
        assert anchor.key_id == anchors.key_id(key)
        assert key.hex() not in (anchor.head, anchor.hmac, anchor.key_id)


def test_it_warns_when_the_key_is_missing(
    data_dir: Path, clinic_a: Clinic, chain: list[Client], capsys: pytest.CaptureFixture[str]
) -> None:
    # Not tampering (the database alone cannot remove a file from the data directory): the heads
    # are still checked, and the command says what it could not check and what to do.
    (data_dir / "chain_key").unlink()
    call_command("verify-notes")
    captured = capsys.readouterr()
    assert captured.out == "4 signed records verified: every chain is intact.\n"
    assert captured.err.count("WARNING: this data directory has no chain_key") == 1
    assert "Copy chain_key from the installation that signed these notes" in captured.err
    assert not (data_dir / "chain_key").exists()  # verifying never makes a key


def test_it_still_checks_the_heads_without_the_key(
    data_dir: Path, clinic_a: Clinic, alice: User, chain: list[Client]
) -> None:
    note = sign_one_more(clinic_a, alice, chain[1])
    (data_dir / "chain_key").unlink()
    TreatmentNote.objects.filter(pk=note.pk).update(
        status="draft", signed_at=None, signed_by=None, sequence=None, content_hash=""
    )
    _, problems = verify_clinic(clinic_a.pk)
    assert [(p.kind, p.note.pk) for p in problems] == [("missing", note.pk)]


def test_it_says_when_the_key_is_another_installations(
    data_dir: Path, clinic_a: Clinic, chain: list[Client]
) -> None:
    (data_dir / "chain_key").write_text("ab" * 32)
    _, problems = verify_clinic(clinic_a.pk)
    assert len(problems) == 1
    assert "anchored with another installation's chain key" in problems[0].reason


def test_it_signs_on_from_the_anchored_head_after_a_deletion(
    clinic_a: Clinic, alice: User, chain: list[Client]
) -> None:
    gone = newest(clinic_a)
    gone.addenda.all()._raw_delete(gone.addenda.db)  # type: ignore[attr-defined]
    later = sign_one_more(clinic_a, alice, chain[0])
    assert later.sequence == 5
    _, problems = verify_clinic(clinic_a.pk)
    assert [(p.kind, p.reason) for p in problems] == [
        ("missing", "lost its addendum at place 4 (deleted after signing)"),
        ("note", "out of place (5)"),
    ]


def test_it_anchors_an_addendum(clinic_a: Clinic, alice: User, chain: list[Client]) -> None:
    note = newest(clinic_a)
    addendum = add_addendum(note.pk, clinic_a.pk, alice, "Taped again.")
    anchor = ChainAnchor.objects.get(clinic=clinic_a, sequence=addendum.sequence)
    assert (anchor.kind, anchor.note_number, anchor.head) == (
        "addendum",
        note.pk,
        addendum.content_hash,
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_chainanchor SET head = 'x' WHERE clinic_id = %s",
        "DELETE FROM audit_chainanchor WHERE clinic_id = %s",
    ],
)
def test_it_keeps_anchors_append_only_in_the_database(
    clinic_a: Clinic, chain: list[Client], sql: str
) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [clinic_a.pk])
    assert ChainAnchor.objects.filter(clinic=clinic_a).count() == 4


def test_it_keeps_anchors_append_only_in_the_orm(clinic_a: Clinic, chain: list[Client]) -> None:
    anchor = ChainAnchor.objects.filter(clinic=clinic_a).first()
    assert anchor is not None
    with pytest.raises(AppendOnlyError):
        anchor.save()
    with pytest.raises(AppendOnlyError):
        anchor.delete()
    with pytest.raises(AppendOnlyError):
        ChainAnchor.objects.filter(clinic=clinic_a).update(head="x")
    with pytest.raises(AppendOnlyError):
        ChainAnchor.objects.filter(clinic=clinic_a).delete()


def test_the_migration_anchors_chains_signed_before_anchors(
    clinic_a: Clinic, chain: list[Client], owner: User
) -> None:
    erase_client(chain[0].pk, clinic_a, owner, "Edith Ash", LONG_AFTER)
    with unlocked(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_chainanchor")
    assert [p.reason for p in verify_clinic(clinic_a.pk)[1]] == [
        "is not anchored in the audit trail"
    ] * 4
    migration = __import__(
        "softtissue.treatments.migrations.0004_anchor_existing_chains", fromlist=["anchor"]
    )
    migration.anchor(apps, None)
    assert verify_clinic(clinic_a.pk) == (4, [])

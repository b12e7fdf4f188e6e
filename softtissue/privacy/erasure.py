"""Erasure on request: the whole record in one transaction, or a refusal that says why."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import muted, record
from softtissue.clients.models import Client
from softtissue.letters.models import Letter
from softtissue.privacy.models import ErasedLink, LegalHold
from softtissue.privacy.retention import client_retention
from softtissue.treatments.models import Addendum, MedicalClearance, TreatmentNote

logger = logging.getLogger(__name__)


class ErasureRefused(Exception):
    """The record must be kept, or the request was not confirmed; the message says which."""


@dataclass(frozen=True, slots=True)
class Erased:
    """What an erasure removed: counts only."""

    client_id: int
    rows: int
    chain_links: int


def same_name(typed: str, client: Client) -> bool:
    """The confirmation matches the client's full name, ignoring case and spacing."""
    return " ".join(typed.split()).casefold() == " ".join(client.full_name.split()).casefold()


def long_date(day: date) -> str:
    """1 June 2027."""
    return f"{day.day} {day:%B %Y}"


def refusal(client: Client, today: date) -> str | None:
    """Why this record cannot be erased today, or None."""
    hold = LegalHold.objects.filter(client=client, lifted_at__isnull=True).first()
    if hold is not None:
        placed = long_date(timezone.localdate(hold.placed_at))
        return f"A legal hold placed on {placed} keeps this record: {hold.reason}"
    kept = client_retention(client)
    if kept.erase_from > today:
        return (
            f"This record must be kept until {long_date(kept.erase_from)} "
            f"({kept.reason}; insurer condition and legal claims)."
        )
    return None


def erased_links(
    rows: Iterable[tuple[int, int | None, str, str]], kind: str, client: Client
) -> list[ErasedLink]:
    """What the chain keeps of erased signed records: (note id, sequence, hashes) of each."""
    return [
        ErasedLink(
            clinic_id=client.clinic_id,
            sequence=sequence or 0,
            kind=kind,
            note_number=note_id,
            client_number=client.pk,
            content_hash=content_hash,
            previous_hash=previous_hash,
        )
        for note_id, sequence, content_hash, previous_hash in rows
    ]


def erase_client(
    client_id: int, clinic: Clinic, user: User, typed_name: str, today: date
) -> Erased:
    """Delete the client and every row of their record; signed notes leave their hashes only."""
    files: list[str] = []
    with transaction.atomic():
        # The clinic row is the signing chain's lock (treatments/signing.py): nobody signs
        # while this client's links are turned into erased links.
        Clinic.objects.select_for_update().get(pk=clinic.pk)
        client = Client.objects.select_for_update().get(pk=client_id, clinic=clinic)
        if not same_name(typed_name, client):
            raise ErasureRefused(
                "The name typed does not match this client's name: nothing was erased."
            )
        reason = refusal(client, today)
        if reason is not None:
            raise ErasureRefused(reason)
        notes = TreatmentNote.objects.filter(clinic=clinic, episode__client=client)
        addenda = Addendum.objects.filter(clinic=clinic, note__episode__client=client)
        signed = {"sequence__isnull": False}
        fields = ("sequence", "content_hash", "previous_hash")
        links = [
            *erased_links(
                notes.filter(**signed).values_list("pk", *fields), ErasedLink.Kind.NOTE, client
            ),
            *erased_links(
                addenda.filter(**signed).values_list("note_id", *fields),
                ErasedLink.Kind.ADDENDUM,
                client,
            ),
        ]
        ErasedLink.objects.bulk_create(links)
        if connection.vendor == "sqlite":
            # Deleted rows are overwritten with zeros, not left in the file's free space (some
            # SQLite builds do this by default; this one connection asks for it either way).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = ON")
        files = [
            name
            for name in MedicalClearance.objects.filter(
                clinic=clinic, plan__episode__client=client
            ).values_list("document", flat=True)
            if name
        ]
        with muted():
            # Queryset deletes skip the models' own refusals (signed notes, kept letters):
            # erasure is the one place those rows may go.
            deleted = addenda.delete()[0]
            deleted += notes.delete()[0]
            deleted += Letter.objects.filter(clinic=clinic, episode__client=client).delete()[0]
            try:
                count, _ = client.delete()
            except ProtectedError as error:
                kinds = sorted({str(row._meta.verbose_name) for row in error.protected_objects})
                raise ErasureRefused(
                    f"Other records still point at this client ({', '.join(kinds)}): "
                    "nothing was erased."
                ) from None
        record(
            AuditEvent.Action.ERASE,
            object_type="clients.Client",
            object_id=client_id,
            client_id=client_id,
            clinic_id=clinic.pk,
            user_id=user.pk,
        )
        transaction.on_commit(lambda: remove_files(files))
        transaction.on_commit(checkpoint)
    return Erased(client_id, deleted + count, len(links))


def checkpoint() -> None:
    """Fold SQLite's write-ahead log into the database file and empty it (SQLite only)."""
    # Until then the erased rows' earlier versions are still readable in the -wal file.
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        # TRUNCATE waits (up to the busy timeout) for readers in other workers to finish.
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = cursor.fetchone()[0]
    if busy:
        logger.warning("the write-ahead log was not emptied after an erasure: readers held it")


def remove_files(names: list[str]) -> None:
    """Uploaded clearances go once the rows that named them are gone."""
    for name in names:
        default_storage.delete(name)

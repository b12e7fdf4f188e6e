"""Signing notes and addenda into each clinic's hash chain, and checking the chain."""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.privacy.models import ErasedLink
from softtissue.treatments.models import Addendum, TreatmentNote


class SigningError(Exception):
    """A note cannot be signed (again), or an addendum cannot be added."""


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def note_content(note: TreatmentNote) -> dict[str, Any]:
    """What a note's signature covers: every clinical field, who signed, when, and its place."""
    return {
        "kind": "note",
        "id": note.pk,
        "clinic": note.clinic_id,
        "episode": note.episode_id,
        "therapist": note.therapist_id,
        "session_date": note.session_date.isoformat(),
        "subjective": note.subjective,
        "objective": note.objective,
        "techniques": note.techniques,
        "response": note.response,
        "advice": note.advice,
        "plan": note.plan,
        "status": note.status,
        "signed_by": note.signed_by_id,
        "signed_at": _when(note.signed_at),
        "sequence": note.sequence,
    }


def addendum_content(addendum: Addendum) -> dict[str, Any]:
    """What an addendum's signature covers (its place in the chain identifies it)."""
    return {
        "kind": "addendum",
        "clinic": addendum.clinic_id,
        "note": addendum.note_id,
        "text": addendum.text,
        "signed_by": addendum.signed_by_id,
        "signed_at": _when(addendum.signed_at),
        "sequence": addendum.sequence,
    }


def chain_hash(content: dict[str, Any], previous_hash: str) -> str:
    """SHA-256 over the canonical JSON of the content and the previous link's hash."""
    canonical = json.dumps(
        {"content": content, "previous_hash": previous_hash},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _chain_head(clinic_id: int) -> tuple[int, str]:
    """The last place in the clinic's chain and its hash ("" for an empty chain)."""
    last_note = TreatmentNote.objects.filter(clinic_id=clinic_id).aggregate(m=Max("sequence"))["m"]
    last_add = Addendum.objects.filter(clinic_id=clinic_id).aggregate(m=Max("sequence"))["m"]
    # An erased client's notes leave their links behind (privacy/erasure.py): still the chain.
    last_erased = ErasedLink.objects.filter(clinic_id=clinic_id).aggregate(m=Max("sequence"))["m"]
    last = max(last_note or 0, last_add or 0, last_erased or 0)
    if last == 0:
        return 0, ""
    for model in (TreatmentNote, Addendum, ErasedLink):
        found = model.objects.filter(clinic_id=clinic_id, sequence=last).values_list(
            "content_hash", flat=True
        )
        if found:
            return last, found[0]
    return last, ""


def _lock_chain(clinic_id: int) -> tuple[int, str]:
    # The clinic row is the chain's lock: two signings in one clinic queue here instead of
    # both reading the same head and forking the chain.
    Clinic.objects.select_for_update().get(pk=clinic_id)
    return _chain_head(clinic_id)


def sign_note(note_id: int, clinic_id: int, user: User) -> TreatmentNote:
    """Sign a draft note: lock it and link it to the clinic's chain."""
    with transaction.atomic():
        last, previous = _lock_chain(clinic_id)
        note = TreatmentNote.objects.select_for_update().get(pk=note_id, clinic_id=clinic_id)
        if note.status == TreatmentNote.Status.SIGNED:
            raise SigningError("This note is already signed; add an addendum instead.")
        note.status = TreatmentNote.Status.SIGNED
        note.signed_by = user
        note.signed_at = timezone.now()
        note.sequence = last + 1
        note.previous_hash = previous
        note.content_hash = chain_hash(note_content(note), previous)
        note.save()
        return note


def add_addendum(note_id: int, clinic_id: int, user: User, text: str) -> Addendum:
    """Add a signed addendum to a signed note, as the next link of the chain."""
    if not text.strip():
        raise SigningError("An addendum needs some text.")
    with transaction.atomic():
        last, previous = _lock_chain(clinic_id)
        note = TreatmentNote.objects.get(pk=note_id, clinic_id=clinic_id)
        if note.status != TreatmentNote.Status.SIGNED:
            raise SigningError("This note is still a draft: edit it instead of adding an addendum.")
        addendum = Addendum(
            clinic_id=clinic_id,
            note=note,
            text=text.strip(),
            signed_by=user,
            signed_at=timezone.now(),
            sequence=last + 1,
            previous_hash=previous,
        )
        addendum.content_hash = chain_hash(addendum_content(addendum), previous)
        addendum.save()
        return addendum


@dataclass(frozen=True, slots=True)
class Tampered:
    """A link of the chain whose stored hash does not match its content or its place.

    For an erased link (kind "erased"), `note` is an unsaved stand-in carrying only the erased
    note's number: its content is gone.
    """

    clinic_id: int
    kind: str
    note: TreatmentNote
    reason: str


# Links read from the database at a time while verifying: memory stays flat however long the chain.
VERIFY_BATCH = 2000

Link = tuple[int, str, TreatmentNote, dict[str, Any], str, str]


def _note_links(clinic_id: int) -> Iterator[Link]:
    notes = TreatmentNote.objects.filter(clinic_id=clinic_id, sequence__isnull=False)
    # The episode carries the client number a report names; the client row is not needed.
    for note in notes.select_related("episode").order_by("sequence").iterator(VERIFY_BATCH):
        yield (
            note.sequence or 0,
            "note",
            note,
            note_content(note),
            note.content_hash,
            note.previous_hash,
        )


def _addendum_links(clinic_id: int) -> Iterator[Link]:
    addenda = Addendum.objects.filter(clinic_id=clinic_id, sequence__isnull=False)
    for addendum in (
        addenda.select_related("note__episode").order_by("sequence").iterator(VERIFY_BATCH)
    ):
        yield (
            addendum.sequence or 0,
            "addendum",
            addendum.note,
            addendum_content(addendum),
            addendum.content_hash,
            addendum.previous_hash,
        )


def _erased_links(clinic_id: int) -> Iterator[Link]:
    erased_links = ErasedLink.objects.filter(clinic_id=clinic_id).order_by("sequence")
    for erased in erased_links.iterator(VERIFY_BATCH):
        stand_in = TreatmentNote(pk=erased.note_number, clinic_id=clinic_id)
        # No content to hash again: the stored hash is trusted, the links around it are not.
        yield (erased.sequence, "erased", stand_in, {}, erased.content_hash, erased.previous_hash)


def verify_clinic(clinic_id: int) -> tuple[int, list[Tampered]]:
    """Walk the clinic's chain in signing order; return the links checked and the bad ones."""
    # Three streams in sequence order merged into one; only the previous link's hash is kept.
    # On a tie the note comes first, then the addendum, then the erased link, as sorted before.
    links = heapq.merge(
        _note_links(clinic_id),
        _addendum_links(clinic_id),
        _erased_links(clinic_id),
        key=lambda link: link[0],
    )
    problems: list[Tampered] = []
    previous = ""
    checked = 0
    # One transaction: PostgreSQL's batched (server-side) cursors then need not be held past it.
    with transaction.atomic():
        for place, (sequence, kind, note, content, stored, stored_previous) in enumerate(links, 1):
            checked = place
            if sequence != place:
                problems.append(Tampered(clinic_id, kind, note, f"out of place ({sequence})"))
            elif stored_previous != previous:
                problems.append(
                    Tampered(clinic_id, kind, note, "does not follow the previous link")
                )
            elif kind == "erased":
                pass
            elif chain_hash(content, stored_previous) != stored:
                problems.append(Tampered(clinic_id, kind, note, "content changed after signing"))
            previous = stored
    return checked, problems

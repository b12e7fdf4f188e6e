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
from softtissue.audit.models import ChainAnchor
from softtissue.privacy.models import ErasedLink
from softtissue.treatments import anchors
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
    last, previous = _chain_head(clinic_id)
    anchored = anchors.last_anchor(clinic_id)
    if anchored is not None and anchored.sequence >= last:
        # The anchored head is the one to trust: if the newest link was deleted or un-signed,
        # the next one still follows the chain as signed (and verify-notes names the gap).
        return anchored.sequence, anchored.head
    return last, previous


def _anchor(clinic_id: int, sequence: int, kind: str, note: TreatmentNote, head: str) -> None:
    try:
        anchors.write_anchor(clinic_id, sequence, kind, note.pk, note.episode.client_id, head)
    except anchors.ChainKeyError as error:
        raise SigningError(f"Not signed: the chain key cannot be used ({error}).") from None


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
        _anchor(clinic_id, last + 1, "note", note, note.content_hash)
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
        _anchor(clinic_id, last + 1, "addendum", note, addendum.content_hash)
        return addendum


@dataclass(frozen=True, slots=True)
class Tampered:
    """A link of the chain whose stored hash does not match its content, its place or its anchor.

    For an erased link (kind "erased") and for a link the anchors record but the tables no longer
    hold (kind "missing"), `note` is an unsaved stand-in carrying only the note's number.
    """

    clinic_id: int
    kind: str
    note: TreatmentNote
    reason: str


# Links read from the database at a time while verifying: memory stays flat however long the chain.
VERIFY_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Link:
    """One link as stored: its place, what it is, its content and hashes, and whose it is."""

    sequence: int
    kind: str  # note, addendum or erased
    note: TreatmentNote
    content: dict[str, Any]
    stored: str
    previous: str
    signed_kind: str  # what was signed: note or addendum (for an erased link too)
    client_id: int


def _note_links(clinic_id: int) -> Iterator[Link]:
    notes = TreatmentNote.objects.filter(clinic_id=clinic_id, sequence__isnull=False)
    # The episode carries the client number a report names; the client row is not needed.
    for note in notes.select_related("episode").order_by("sequence").iterator(VERIFY_BATCH):
        yield Link(
            note.sequence or 0,
            "note",
            note,
            note_content(note),
            note.content_hash,
            note.previous_hash,
            "note",
            note.episode.client_id,
        )


def _addendum_links(clinic_id: int) -> Iterator[Link]:
    addenda = Addendum.objects.filter(clinic_id=clinic_id, sequence__isnull=False)
    for addendum in (
        addenda.select_related("note__episode").order_by("sequence").iterator(VERIFY_BATCH)
    ):
        yield Link(
            addendum.sequence or 0,
            "addendum",
            addendum.note,
            addendum_content(addendum),
            addendum.content_hash,
            addendum.previous_hash,
            "addendum",
            addendum.note.episode.client_id,
        )


def _erased_links(clinic_id: int) -> Iterator[Link]:
    erased_links = ErasedLink.objects.filter(clinic_id=clinic_id).order_by("sequence")
    for erased in erased_links.iterator(VERIFY_BATCH):
        stand_in = TreatmentNote(pk=erased.note_number, clinic_id=clinic_id)
        # No content to hash again: the anchor and a recorded erasure vouch for the stored hash.
        yield Link(
            erased.sequence,
            "erased",
            stand_in,
            {},
            erased.content_hash,
            erased.previous_hash,
            erased.kind,
            erased.client_number,
        )


def _missing(clinic_id: int, anchor: ChainAnchor) -> Tampered:
    stand_in = TreatmentNote(pk=anchor.note_number, clinic_id=clinic_id)
    if anchor.kind == "addendum":
        reason = f"lost its addendum at place {anchor.sequence} (deleted after signing)"
    else:
        reason = f"is gone from place {anchor.sequence} (deleted, or un-signed after signing)"
    return Tampered(clinic_id, "missing", stand_in, reason)


def verify_clinic(clinic_id: int) -> tuple[int, list[Tampered]]:
    """Walk the clinic's chain in signing order; return the links checked and the bad ones.

    Each link is checked against its content, the link before it, and the head anchored in the
    audit trail at its place (with the anchor's HMAC); an erased link also against a recorded
    erasure of its client; an anchored place with no link left is named as missing.
    """
    # Three streams in sequence order merged into one; only the previous link's hash is kept.
    # On a tie the note comes first, then the addendum, then the erased link, as sorted before.
    links = heapq.merge(
        _note_links(clinic_id),
        _addendum_links(clinic_id),
        _erased_links(clinic_id),
        key=lambda link: link.sequence,
    )
    problems: list[Tampered] = []
    previous = ""
    checked = 0
    # One transaction: PostgreSQL's batched (server-side) cursors then need not be held past it.
    with transaction.atomic():
        check = anchors.AnchorCheck(clinic_id, VERIFY_BATCH)
        for place, link in enumerate(links, 1):
            checked = place
            problems += [_missing(clinic_id, gone) for gone in check.missing_before(link.sequence)]
            # Taken whatever else is wrong, so the next link meets the anchor of its own place.
            anchored = _anchor_problem(check, link)
            if link.sequence != place:
                problem = f"out of place ({link.sequence})"
            elif link.previous != previous:
                problem = "does not follow the previous link"
            elif link.kind != "erased" and chain_hash(link.content, link.previous) != link.stored:
                problem = "content changed after signing"
            else:
                problem = anchored
            if problem:
                problems.append(Tampered(clinic_id, link.kind, link.note, problem))
            previous = link.stored
        problems += [_missing(clinic_id, gone) for gone in check.missing_before(None)]
    return checked, problems


def _anchor_problem(check: anchors.AnchorCheck, link: Link) -> str:
    anchor = check.take(link.sequence)
    if anchor is None:
        return "is not anchored in the audit trail"
    problem = check.disagreement(
        anchor, link.signed_kind, link.note.pk, link.client_id, link.stored
    )
    if not problem and link.kind == "erased":
        problem = check.erasure_problem(link.client_id)
    return problem

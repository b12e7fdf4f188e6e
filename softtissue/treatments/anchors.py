"""The chain's head kept outside the notes' tables, keyed with a secret the database never holds.

Each signing (a note or an addendum) writes an append-only `ChainAnchor` in the audit app: the
clinic, the place in the chain, what was signed, the client, the new head's hash and an HMAC of
all of it. The HMAC key lives in the data directory (`chain_key`, created 0600 on first use),
never in the database, so someone holding only the database cannot anchor a head of their own.
docs/security.md says what this proves and what it cannot.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from softtissue.audit.models import AuditEvent, ChainAnchor
from softtissue.clients.models import Client

KEY_FILE = "chain_key"
KEY_BYTES = 32
NO_KEY = (
    "this data directory has no chain_key: the anchors' HMACs were not checked (their heads "
    "were). Copy chain_key from the installation that signed these notes before anyone signs "
    "here: signing would make a new key, and the older anchors could no longer be checked."
)


class ChainKeyError(Exception):
    """The chain key in the data directory cannot be read or is not a key."""


def key_path() -> Path:
    """Where the chain key lives: beside the secret key, in the data directory."""
    return Path(settings.DATA_DIR) / KEY_FILE


def read_key() -> bytes | None:
    """The chain key, or None when this data directory has none yet (never created here)."""
    path = key_path()
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ChainKeyError(f"{path} cannot be read ({error.strerror})") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ChainKeyError(f"{path} is not a chain key (64 hex digits)") from None
    if len(key) != KEY_BYTES:
        raise ChainKeyError(f"{path} is not a chain key (64 hex digits)")
    return key


def signing_key() -> bytes:
    """The chain key, created owner-only on first use."""
    key = read_key()
    if key is not None:
        return key
    path = key_path()
    # Written whole into a private temporary file (mkstemp makes it 0600) and linked into place:
    # a second process signing at the same moment reads the whole key, never half of one.
    descriptor, temporary = tempfile.mkstemp(prefix=".chain_key-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    key = read_key()
    if key is None:
        raise ChainKeyError(f"{path} could not be created")
    return key


def key_id(key: bytes) -> str:
    """Names a key without revealing it: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:16]


def anchor_mac(
    key: bytes,
    clinic_id: int,
    sequence: int,
    kind: str,
    note_number: int,
    client_number: int,
    head: str,
) -> str:
    """HMAC-SHA256 over everything an anchor says."""
    message = json.dumps(
        [clinic_id, sequence, kind, note_number, client_number, head], separators=(",", ":")
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_fields(
    key: bytes,
    clinic_id: int,
    sequence: int,
    kind: str,
    note_number: int,
    client_number: int,
    head: str,
) -> dict[str, Any]:
    """An anchor's columns, keyed (the migration that anchors older chains uses this too)."""
    return {
        "clinic_id": clinic_id,
        "sequence": sequence,
        "kind": kind,
        "note_number": note_number,
        "client_number": client_number,
        "head": head,
        "key_id": key_id(key),
        "hmac": anchor_mac(key, clinic_id, sequence, kind, note_number, client_number, head),
    }


def write_anchor(
    clinic_id: int, sequence: int, kind: str, note_number: int, client_number: int, head: str
) -> ChainAnchor:
    """Anchor a new head (inside the signing's transaction: both are kept or neither)."""
    fields = anchor_fields(
        signing_key(), clinic_id, sequence, kind, note_number, client_number, head
    )
    return ChainAnchor.objects.create(**fields)


def unsaved_anchors(
    clinic_id: int, links: Iterable[tuple[int, str, int, int, str]]
) -> list[ChainAnchor]:
    """Anchors for links written in bulk: (sequence, kind, note, client, head) of each."""
    key = signing_key()
    return [ChainAnchor(**anchor_fields(key, clinic_id, *link)) for link in links]


def missing_key_warning() -> str:
    """A warning when chains are anchored but this data directory has no key to check them."""
    if key_path().exists() or not ChainAnchor.objects.exists():
        return ""
    return NO_KEY


def last_anchor(clinic_id: int) -> ChainAnchor | None:
    """The clinic's newest anchored head."""
    return ChainAnchor.objects.filter(clinic_id=clinic_id).order_by("-sequence").first()


class AnchorCheck:
    """Walks a clinic's anchors beside its chain: each link against the anchor at its place."""

    def __init__(self, clinic_id: int, batch: int) -> None:
        self.clinic_id = clinic_id
        self._anchors: Iterator[ChainAnchor] = (
            ChainAnchor.objects.filter(clinic_id=clinic_id).order_by("sequence").iterator(batch)
        )
        self._next: ChainAnchor | None = next(self._anchors, None)
        # No key is not tampering (a database alone cannot remove a file from the data
        # directory): the heads are still checked, and the commands warn (missing_key_warning).
        try:
            self.key: bytes | None = read_key()
            self.key_problem = ""
        except ChainKeyError as error:
            self.key, self.key_problem = None, f"cannot be checked against its anchor: {error}"
        self._key_reported = False
        self._erasures: dict[int, str] = {}

    def missing_before(self, sequence: int | None) -> Iterator[ChainAnchor]:
        """Anchors of places before this one (all that are left, for None) with no link."""
        while self._next is not None and (sequence is None or self._next.sequence < sequence):
            yield self._next
            self._next = next(self._anchors, None)

    def take(self, sequence: int) -> ChainAnchor | None:
        """The anchor at this place, if there is one."""
        if self._next is None or self._next.sequence != sequence:
            return None
        found, self._next = self._next, next(self._anchors, None)
        return found

    def disagreement(
        self, anchor: ChainAnchor, kind: str, note_number: int, client_number: int, head: str
    ) -> str:
        """Why a link does not match the anchor at its place, or ""."""
        said = (anchor.kind, anchor.note_number, anchor.client_number, anchor.head)
        if said != (kind, note_number, client_number, head):
            return "does not match the head anchored in the audit trail at its place"
        if self.key is None:
            return self._once(self.key_problem) if self.key_problem else ""
        if anchor.key_id != key_id(self.key):
            return self._once(
                f"was anchored with another installation's chain key ({anchor.key_id}): "
                "copy that chain_key into the data directory"
            )
        expected = anchor_mac(
            self.key, self.clinic_id, anchor.sequence, kind, note_number, client_number, head
        )
        if not hmac.compare_digest(expected, anchor.hmac):
            return "its anchor in the audit trail was forged (the HMAC does not match)"
        return ""

    def _once(self, problem: str) -> str:
        # A key that is missing or not this installation's is one problem, not one per link.
        if self._key_reported:
            return ""
        self._key_reported = True
        return problem

    def erasure_problem(self, client_number: int) -> str:
        """Why an erased link is not backed by a real erasure of its client, or ""."""
        if client_number not in self._erasures:
            problem = ""
            if Client.objects.filter(pk=client_number).exists():
                problem = f"is not erased: its client ({client_number}) is still on record"
            elif not AuditEvent.objects.filter(
                clinic_id=self.clinic_id,
                action=AuditEvent.Action.ERASE,
                object_type="clients.Client",
                object_id=client_number,
            ).exists():
                problem = f"has no erasure of its client ({client_number}) in the audit trail"
            self._erasures[client_number] = problem
        return self._erasures[client_number]

"""Creating a client, for the new-client page and the API: once per submit, never twice unasked."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from softtissue.accounts.models import Clinic
from softtissue.clients.duplicates import duplicate_key, possible_duplicates
from softtissue.clients.forms import ClientForm
from softtissue.clients.models import Client

FORM_KEY = re.compile(r"[0-9a-f]{32}")
# An Idempotency-Key a caller may send: visible ASCII, as HTTP header values are.
API_KEY = re.compile(r"[\x21-\x7e]{1,200}")


class PossibleDuplicate(Exception):
    """The clinic already has a client with the same name and date of birth."""

    def __init__(self, existing: list[Client]) -> None:
        super().__init__(f"possible duplicate of client {existing[0].pk}")
        self.existing = existing


class KeyReused(Exception):
    """The form or API key already created a client, and not this one."""

    def __init__(self, earlier: Client) -> None:
        super().__init__(f"this key already created client {earlier.pk}")
        self.earlier = earlier


@dataclass(frozen=True, slots=True)
class Created:
    """The client a submit made, or (replayed) the one an earlier submit of its key made."""

    client: Client
    replayed: bool


def new_form_key() -> str:
    """The one-time key of a new-client form, unique per form shown."""
    return secrets.token_hex(16)


def form_creation_key(submitted: str) -> str:
    """The key a new-client form's submit is stored under, or "" for none (or a forged one)."""
    return f"form:{submitted}" if FORM_KEY.fullmatch(submitted) else ""


def api_creation_key(user_id: int, header: str) -> str:
    """The key an API request's Idempotency-Key is stored under: each user's keys are their own."""
    return f"api:{user_id}:{hashlib.sha256(header.encode()).hexdigest()}"


def created_with(clinic: Clinic, key: str) -> Client | None:
    """The client an earlier submit of this key created."""
    return Client.objects.filter(clinic=clinic, creation_key=key).first()


def create_client(
    clinic: Clinic, form: ClientForm, key: str = "", allow_duplicate: bool = False
) -> Created:
    """Save a valid new-client form once; raise PossibleDuplicate unless allow_duplicate."""
    data = form.cleaned_data
    identity = duplicate_key(data["first_name"], data["last_name"], data["date_of_birth"])
    if key:
        earlier = created_with(clinic, key)
        if earlier is not None:
            return replay(earlier, identity)
    if not allow_duplicate:
        existing = possible_duplicates(
            clinic, data["first_name"], data["last_name"], data["date_of_birth"]
        )
        if existing:
            raise PossibleDuplicate(existing)
    client = form.save(commit=False)
    client.clinic = clinic
    client.creation_key = key
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Another submit of the same key committed first (a double click reaching two workers):
        # the unique key kept this one out, and the first one's client is the answer.
        earlier = Client.objects.filter(clinic=clinic, creation_key=key).first() if key else None
        if earlier is None:
            raise
        return replay(earlier, identity)
    return Created(client, replayed=False)


def replay(earlier: Client, identity: tuple[object, ...]) -> Created:
    """The earlier submit's client, if it is the same person the repeat describes."""
    if duplicate_key(earlier.first_name, earlier.last_name, earlier.date_of_birth) != identity:
        raise KeyReused(earlier)
    return Created(earlier, replayed=True)

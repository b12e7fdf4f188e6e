"""When a new client may already be on file: the same name and date of birth.

One rule for every door a client comes in by: the new-client page, the API and the importer
(softtissue/interop/importing/validation.py) all ask it here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client
from softtissue.clients.normalise import fold

DuplicateKey = tuple[str, str, date]


def duplicate_key(first_name: str, last_name: str, born: date) -> DuplicateKey:
    """Same name (ignoring case, accents and surrounding spaces) and same date of birth."""
    return (fold(first_name.strip()), fold(last_name.strip()), born)


def clients_by_key(clinic: Clinic, births: Iterable[date]) -> dict[DuplicateKey, int]:
    """The clinic's clients born on these days, by duplicate key: the oldest record of each."""
    rows = (
        Client.objects.filter(clinic=clinic, date_of_birth__in=list(births))
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "date_of_birth")
    )
    found: dict[DuplicateKey, int] = {}
    for pk, first_name, last_name, born in rows:
        found.setdefault(duplicate_key(first_name, last_name, born), pk)
    return found


def possible_duplicates(
    clinic: Clinic, first_name: str, last_name: str, born: date
) -> list[Client]:
    """The clinic's clients who may be this person, oldest record first."""
    key = duplicate_key(first_name, last_name, born)
    # The date of birth narrows it through an index (client_dob_name); names are folded here.
    same_day = Client.objects.filter(clinic=clinic, date_of_birth=born).order_by("pk")
    return [
        client
        for client in same_day
        if duplicate_key(client.first_name, client.last_name, client.date_of_birth) == key
    ]

"""Writing a checked file: every row's values prepared first, then one short transaction.

SQLite lets one connection write at a time, and a page view writes too (its audit event, its
session). Building the rows' values is most of an import's work, so it is done before the
transaction; inside it, plain executemany batches insert values already made. The import
stays all or nothing, and other requests wait for the short transaction only (docs/import.md,
"While an import runs").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client, ClientSearchTerm
from softtissue.clients.normalise import name_terms, sort_name
from softtissue.interop.importing.validation import Candidate, chunks

# Big enough that round trips do not dominate, small enough for a smooth progress bar.
BATCH = 1000
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Database values of every row, clients numbered 0..n-1 until their ids are known."""

    clients: list[list[Any]]
    terms: list[tuple[int, int, str, str]]  # clinic, client number, term, sort name
    appointments: list[tuple[int, list[Any]]]  # client number, values


def write(candidates: list[Candidate], progress: Progress) -> None:
    """Create every client, search term and appointment, or (on any failure) none of them."""
    write_prepared(candidates, prepare(candidates, lambda count: None), progress)


def write_prepared(candidates: list[Candidate], prepared: Prepared, progress: Progress) -> None:
    """Insert the prepared rows in one transaction; the clients' ids are set on the candidates."""
    client_fields = [f for f in Client._meta.concrete_fields if not f.primary_key]
    appointment_fields = [f for f in Appointment._meta.concrete_fields if not f.primary_key]
    client_fk = appointment_fields.index(Appointment._meta.get_field("client"))
    ids = reserved_ids(len(prepared.clients)) if connection.vendor == "postgresql" else None
    with transaction.atomic():
        if ids is None:
            ids = next_sqlite_ids(len(prepared.clients))
        for batch in chunks(range(len(prepared.clients)), BATCH):
            insert(
                Client,
                ["id", *columns(client_fields)],
                [[ids[n], *prepared.clients[n]] for n in batch],
            )
            progress(len(batch))
        insert_search_terms([(c, ids[n], term, order) for c, n, term, order in prepared.terms])
        rows = []
        for number, values in prepared.appointments:
            values[client_fk] = ids[number]
            rows.append(values)
        for batch_rows in chunks(rows, BATCH):
            insert(Appointment, columns(appointment_fields), batch_rows)
    for candidate, pk in zip(candidates, ids, strict=True):
        candidate.client.pk = pk


def prepare(candidates: list[Candidate], progress: Progress) -> Prepared:
    """Each row's values as the database takes them, as Django's own INSERT would make them."""
    client_fields = [f for f in Client._meta.concrete_fields if not f.primary_key]
    appointment_fields = [f for f in Appointment._meta.concrete_fields if not f.primary_key]
    prepared = Prepared([], [], [])
    for batch in chunks(list(enumerate(candidates)), BATCH):
        for number, candidate in batch:
            client = candidate.client
            client.fill_search_columns()
            prepared.clients.append(values(client, client_fields))
            order = sort_name(client.first_name, client.last_name)
            terms = name_terms(client.first_name, client.last_name, client.preferred_name)
            prepared.terms.extend((client.clinic_id, number, t, order) for t in sorted(terms))
            for appointment in candidate.appointments:
                appointment.client = client
                prepared.appointments.append((number, values(appointment, appointment_fields)))
        progress(len(batch))
    return prepared


def values(instance: Model, fields: Sequence[Field[Any, Any]]) -> list[Any]:
    """The instance's values for an INSERT (defaults and auto_now filled in as save() would)."""
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def columns(fields: Sequence[Field[Any, Any]]) -> list[str]:
    return [str(field.column) for field in fields]


def insert(model: type[Model], names: list[str], rows: list[list[Any]]) -> None:
    """One executemany of plain values into the model's table."""
    if not rows:
        return
    quote = connection.ops.quote_name
    listed = ", ".join(quote(name) for name in names)
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({listed}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reserved_ids(count: int) -> list[int]:
    """PostgreSQL: ids taken from the clients' sequence, outside any lock."""
    if not count:
        return []
    table = Client._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def next_sqlite_ids(count: int) -> list[int]:
    """SQLite, inside the write transaction: the ids after the highest ever given."""
    table = Client._meta.db_table
    with connection.cursor() as cursor:
        # AUTOINCREMENT never reuses an id, even a deleted one: start after what it last gave.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
    return list(range(highest + 1, highest + 1 + count))


def search_term_values(client: Client) -> list[tuple[int, int, str, str]]:
    """The rows Client.search_term_rows() makes, as plain values (tests hold them equal)."""
    order = sort_name(client.first_name, client.last_name)
    terms = name_terms(client.first_name, client.last_name, client.preferred_name)
    return [(client.clinic_id, client.pk, term, order) for term in sorted(terms)]


def insert_search_terms(rows: list[tuple[int, int, str, str]]) -> None:
    """All the clients' name terms, in executemany batches."""
    # Four plain columns for about four rows per client: building model instances and compiling
    # the ORM's INSERT took more time than everything else the import does.
    meta = ClientSearchTerm._meta
    by_name = {field.name: str(field.column) for field in meta.concrete_fields}
    names = [by_name[name] for name in ("clinic", "client", "term", "sort_name")]
    for batch in chunks(rows, BATCH * 4):
        insert(ClientSearchTerm, names, [list(row) for row in batch])

"""Writing a checked file: one transaction, clients and their search terms in bulk."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client, ClientSearchTerm
from softtissue.clients.normalise import name_terms, sort_name
from softtissue.interop.importing.validation import Candidate, chunks

# Big enough that round trips do not dominate, small enough for a smooth progress bar.
BATCH = 1000


def write(candidates: list[Candidate], progress: Callable[[int], None]) -> None:
    """Create every client, search term and appointment, or (on any failure) none of them."""
    with transaction.atomic():
        for batch in chunks(candidates, BATCH):
            clients = [candidate.client for candidate in batch]
            for client in clients:
                client.fill_search_columns()
            # bulk_create skips Client.save(), so the search terms are written here once the
            # new clients have their ids.
            Client.objects.bulk_create(clients)
            insert_search_terms(clients)
            appointments = []
            for candidate in batch:
                for appointment in candidate.appointments:
                    appointment.client = candidate.client
                    appointments.append(appointment)
            Appointment.objects.bulk_create(appointments)
            progress(len(batch))


def search_term_values(client: Client) -> list[tuple[int, int, str, str]]:
    """The rows Client.search_term_rows() makes, as plain values (tests hold them equal)."""
    order = sort_name(client.first_name, client.last_name)
    terms = name_terms(client.first_name, client.last_name, client.preferred_name)
    return [(client.clinic_id, client.pk, term, order) for term in sorted(terms)]


def insert_search_terms(clients: list[Client]) -> None:
    """All the clients' name terms in one executemany."""
    # Four plain columns for about four rows per client: building model instances and compiling
    # the ORM's INSERT took more time than everything else the import does.
    meta = ClientSearchTerm._meta
    quote = connection.ops.quote_name
    by_name = {field.name: str(field.column) for field in meta.concrete_fields}
    columns = ", ".join(quote(by_name[name]) for name in ("clinic", "client", "term", "sort_name"))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"  # noqa: S608
    rows = [row for client in clients for row in search_term_values(client)]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

"""Client search by name, date of birth, phone or email, every kind through an index."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Literal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client, ClientSearchTerm
from softtissue.clients.normalise import (
    email_key,
    looks_like_phone,
    name_words,
    parse_date,
    phone_digits,
)

SearchKind = Literal["all", "name", "date_of_birth", "phone", "email", "too_short"]
ORDER = ("last_name", "first_name", "pk")
PAGE_SIZE = 50
# One letter matches a tenth of a clinic: nobody reads that list, and sorting it costs the most.
MIN_NAME_LENGTH = 2
MAX_NAME_WORDS = 5


@dataclass(frozen=True, slots=True)
class Search:
    """What the query was taken to mean, and one page of the clients it found."""

    kind: SearchKind
    page: Page[Any]


def prefix(field: str, value: str) -> Q:
    """An index-friendly 'starts with' on a column holding normalised (lower-case) text."""
    if connection.vendor == "postgresql":
        # LIKE 'x%' is case-sensitive on PostgreSQL and uses the varchar_pattern_ops index.
        return Q(**{f"{field}__startswith": value})
    # SQLite's LIKE ignores case, so it cannot use a plain index; a range on the column can.
    upper = value[:-1] + chr(ord(value[-1]) + 1)
    return Q(**{f"{field}__gte": value, f"{field}__lt": upper})


def search_clients(clinic: Clinic, query: str, page: Any = 1) -> Search:
    """One page of the clinic's clients matching the query, in name order."""
    query = query.strip()
    clients = Client.objects.filter(clinic=clinic).order_by(*ORDER)
    if not query:
        return Search("all", paginate(clients, page))
    day = parse_date(query)
    if day is not None:
        return Search("date_of_birth", paginate(clients.filter(date_of_birth=day), page))
    if "@" in query:
        found = clients.filter(prefix("email_key", email_key(query)))
        return Search("email", paginate(found, page))
    if looks_like_phone(query):
        found = clients.filter(prefix("phone_digits", phone_digits(query)))
        return Search("phone", paginate(found, page))
    words = list(dict.fromkeys(name_words(query)))[:MAX_NAME_WORDS]
    if len("".join(words)) < MIN_NAME_LENGTH:
        return Search("too_short", paginate(clients.none(), page))
    matches = paginate(name_matches(clinic, words), page)
    ids = [row["client_id"] for row in matches.object_list]
    by_id = Client.objects.filter(clinic=clinic).in_bulk(ids)
    matches.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return Search("name", matches)


def name_matches(clinic: Clinic, words: list[str]) -> QuerySet[Any, Any]:
    """Client ids with a name term starting with each word, in name order, from the terms alone."""
    # One pass over the index ranges of all the words, grouped by client: a join per word let
    # the planners guess badly (a full scan of the clinic, or a range scan per candidate).
    wanted = [prefix("term", word) for word in words]
    word_hit = Case(
        *(When(condition, then=Value(index)) for index, condition in enumerate(wanted)),
        output_field=IntegerField(),
    )
    return (
        ClientSearchTerm.objects.filter(reduce(or_, wanted), clinic=clinic)
        .values("client_id")
        .annotate(words=Count(word_hit, distinct=True), order=Min("sort_name"))
        .filter(words=len(words))
        .order_by("order", "client_id")
    )


def paginate(rows: QuerySet[Any, Any], number: Any) -> Page[Any]:
    """The requested page (the last one when past the end, the first when not a number)."""
    return Paginator(rows, PAGE_SIZE).get_page(number)

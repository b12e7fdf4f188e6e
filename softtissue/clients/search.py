"""Client search by name, date of birth, phone or email, every kind through an index."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, reduce
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
# A search counts its matches only this far past the page asked for: a short prefix matches
# hundreds of clients in a large clinic, and counting them all made the search grow with it.
COUNT_LIMIT = 200  # four pages: a whole number of pages, so the last one counted is full


@dataclass(frozen=True, slots=True)
class Search:
    """What the query was taken to mean, and one page of the clients it found."""

    kind: SearchKind
    page: Page[Any]

    @property
    def more(self) -> bool:
        """True when more clients match than the page's count says (the count stopped)."""
        return isinstance(self.page.paginator, CappedPaginator) and self.page.paginator.more


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
        return Search("all", Paginator(clients, PAGE_SIZE).get_page(page))
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


def count_upto(rows: QuerySet[Any, Any], reach: int) -> tuple[int, bool]:
    """How many rows there are, counting no further than `reach`; and whether there are more."""
    # The order is not needed to count, and without it the LIMIT can stop the scan early.
    counted = rows.order_by()[: reach + 1].count()
    return min(counted, reach), counted > reach


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator whose count stops COUNT_LIMIT rows past the start of the page asked for."""

    def __init__(self, rows: QuerySet[Any, Any], per_page: int, reach: int) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        self.reach = reach
        self.more = False

    @cached_property
    def count(self) -> int:
        """The rows counted, at most `reach`; `more` says whether the count stopped there."""
        counted, self.more = count_upto(self.rows, self.reach)
        return counted


def paginate(rows: QuerySet[Any, Any], number: Any) -> Page[Any]:
    """The requested page (the last one when past the end, the first when not a number)."""
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    reach = (wanted - 1) * PAGE_SIZE + COUNT_LIMIT
    return CappedPaginator(rows, PAGE_SIZE, reach).get_page(number)

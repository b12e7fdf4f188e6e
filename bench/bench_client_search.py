"""Client search at scale: N clients in a throwaway database, 200 searches of each kind.

    .venv/bin/python bench/bench_client_search.py [--clients 100000] [--searches 200]

Runs on a throwaway SQLite file, or, when SOFTTISSUE_DATABASE_URL names a PostgreSQL database,
on a throwaway test database beside it (created and dropped). Each search goes through Django's
test client to the real view; the time is the server's (no network), and the query count is
the most any search of that kind needed. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

FIRST = """
Aaliyah Abdul Ada Adam Aisha Alex Alfie Alice Amara Amelia Amir Amy Andrew Anna Archie Arjun Ava
Ben Bethan Callum Charlie Chloe Chris Connor Daisy Daniel David Dylan Eleanor Eli Ella Emily
Emma Ethan Evie Faith Finley Freya George Grace Hannah Harper Harry Harvey Hugo Ibrahim Imogen
Isaac Isla Jack Jacob James Jasmine Jessica Joe John Joshua Kai Katie Layla Leo Lewis Liam Lily
Logan Lucy Luke Maisie Maria Mason Matilda Megan Mia Michael Mohammed Molly Muhammad Nathan
Niamh Noah Olivia Oliver Oscar Paige Poppy Priya Rachel Reuben Rhys Rosie Ruby Ryan Samuel Sara
Scarlett Sebastian Sienna Sofia Sophie Thomas Toby Tom Wiktoria William Zara Zoe
""".split()  # noqa: SIM905 - names read best as words
LAST = """
Adams Ahmed Ali Allen Anderson Bailey Baker Barker Begum Bell Bennett Brown Butler Campbell
Carter Chapman Clark Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans
Fisher Fletcher Foster Gibson Graham Gray Green Griffiths Hall Harris Harrison Hill Holmes
Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy Khan King Knight Lee
Lewis Lloyd Marshall Martin Mason Matthews Miller Mills Mitchell Moore Morgan Morris Murphy
Murray Owen Palmer Parker Patel Pearson Phillips Powell Price Richards Richardson Roberts
Robinson Rogers Rose Russell Saunders Scott Shah Shaw Simpson Singh Smith Stevens Stewart Taylor
Thomas Thompson Turner Walker Ward Watson Webb Wells White Wilkinson Williams Wilson Wood Wright
Young O'Brien Nowak Kowalski Okafor Adeyemi Mensah Nguyen Chen Wang Ferreira
""".split()  # noqa: SIM905 - names read best as words


def configure() -> bool:
    """Point Django at a throwaway database; True when that is PostgreSQL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softtissue.settings")
    scratch = Path(tempfile.mkdtemp(prefix="softtissue-bench-"))
    os.environ["SOFTTISSUE_DATA_DIR"] = str(scratch)
    url = os.environ.get("SOFTTISSUE_DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    if not postgres:
        os.environ["SOFTTISSUE_DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    return postgres


def fill(count: int, rng: random.Random, analyze: bool) -> tuple[object, list[dict[str, str]]]:
    """A clinic with `count` clients (and a second clinic with a few); sample search values."""
    from django.db import connection, transaction

    from softtissue.accounts.models import Clinic, Membership, User
    from softtissue.clients.models import Client, ClientSearchTerm

    clinic = Clinic.objects.create(name="Bench clinic")
    other = Clinic.objects.create(name="Other clinic")
    user = User.objects.create_user("bench@example.org", "bench-password-123")
    Membership.objects.create(user=user, clinic=clinic, role="reception")
    samples: list[dict[str, str]] = []
    batch = 5000
    for start in range(0, count, batch):
        clients = []
        for number in range(start, min(start + batch, count)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            born = date(1930, 1, 1) + timedelta(days=rng.randrange(80 * 365))
            phone = f"07{rng.randrange(10**8, 10**9)}"
            client = Client(
                clinic=clinic if number % 20 else other,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                phone=f"{phone[:5]} {phone[5:]}",
                email=f"{first}.{last}{number}@example.com".lower().replace("'", ""),
            )
            client.fill_search_columns()
            clients.append(client)
        with transaction.atomic():
            # bulk_create skips save() (it does set the keys), so the terms are written here.
            Client.objects.bulk_create(clients)
            ClientSearchTerm.objects.bulk_create(
                row for c in clients for row in c.search_term_rows()
            )
        samples.extend(
            {
                "name prefix (2 letters)": c.last_name[:2].lower(),
                "name prefix (3 letters)": c.last_name[:3].lower(),
                "first and last name": f"{c.first_name} {c.last_name}",
                "date of birth": c.date_of_birth.strftime("%d/%m/%Y"),
                "phone": c.phone,
                "email": c.email.upper(),
            }
            for c in rng.sample(clients, min(50, len(clients)))
            if c.clinic_id == clinic.pk
        )
        print(f"\r{min(start + batch, count):,} clients", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    # PostgreSQL's autovacuum analyses a table soon after a bulk load; SQLite never does by itself.
    if analyze or connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user, samples


def run(count: int, searches: int, seed: int, analyze: bool) -> None:
    from django.db import connection
    from django.test import Client as WebClient
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(seed)
    user, samples = fill(count, rng, analyze)
    web = WebClient()
    web.force_login(user)  # type: ignore[arg-type]
    web.get("/clients/")  # warm the session, templates and connection
    analyzed = analyze or connection.vendor == "postgresql"
    stats = "after ANALYZE" if analyzed else "no ANALYZE, as a fresh deployment"
    print(f"\n{connection.vendor}, {count:,} clients, {searches} searches of each kind ({stats})\n")
    print("| search | median ms | p95 ms | queries | results (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind in samples[0]:
        timings, queries, results = [], 0, []
        for _ in range(searches):
            query = rng.choice(samples)[kind]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = web.get("/clients/", {"q": query}, headers={"HX-Request": "true"})
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = max(queries, len(captured.captured_queries))
            results.append(response.context["page"].paginator.count)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"| {kind} | {statistics.median(timings):.1f} | {p95:.1f} | {queries} "
            f"| {statistics.median(results):.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--analyze", action="store_true", help="gather planner statistics before searching"
    )
    args = parser.parse_args()
    postgres = configure()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if postgres:
        # A database of its own beside the configured one (never the test suite's), dropped after.
        connection.settings_dict["TEST"]["NAME"] = f"softtissue_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        run(args.clients, args.searches, args.seed, args.analyze)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()

"""Import speed: N generated clients from a CSV file, three runs, the median clients per second.

    .venv/bin/python bench/bench_import.py [--clients 10000] [--runs 3]

Runs on a throwaway SQLite file, or, when SOFTTISSUE_DATABASE_URL names a PostgreSQL database,
on a throwaway test database beside it (created and dropped), so no real clinic is touched.
Each run imports the whole file into a new clinic through the same code as `softtissue import
clients` (reading, checking every row with the client form, writing in one transaction); the
time covers all of it. Target (issue 7): at least 1,000 clients per second.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

FIRST = "Ada Alfie Amara Arjun Bethan Callum Chloe Daisy Eli Freya Hugo Imogen Isla Kai Layla Leo"
LAST = "Adeyemi Begum Chen Davies Evans Ferreira Hughes Kaur Khan Mensah Nowak O'Brien Patel Shah"
HEADER = ["first_name", "last_name", "date_of_birth", "sex", "phone", "email", "postcode"]


def write_sample(path: Path, count: int, seed: int) -> None:
    """A generic-format CSV of invented clients, unique on name and date of birth."""
    rng = random.Random(seed)
    first_names, last_names = FIRST.split(), LAST.split()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(count):
            first = rng.choice(first_names)
            # The row number in the surname keeps every row distinct, so none is a duplicate.
            last = f"{rng.choice(last_names)}-{number}"
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(25_000))
            writer.writerow(
                [
                    first,
                    last,
                    born.strftime("%d/%m/%Y"),
                    rng.choice(["female", "male", ""]),
                    f"07700 9{number % 100000:05d}",
                    f"client{number}@example.com",
                    "BS1 4DJ",
                ]
            )


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


class Quiet:
    """No progress output: the benchmark times the import, not the terminal."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


def run(count: int, runs: int) -> None:
    from django.db import connection

    from softtissue.accounts.models import Clinic
    from softtissue.interop.importing import import_clients

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clients.csv"
        write_sample(path, count, seed=7)
        rates = []
        for number in range(runs):
            clinic = Clinic.objects.create(name=f"Bench clinic {number}")
            started, cpu_started = time.perf_counter(), time.process_time()
            result = import_clients(path, clinic, Quiet())
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            assert result.written, [str(problem) for problem in result.checked.problems[:5]]
            rates.append(count / elapsed)
            # The CPU time shows how much of the wall time was this process (the rest is the
            # database server, the disk, or other processes on a shared machine).
            print(
                f"run {number + 1}: {count:,} clients in {elapsed:.2f} s = {rates[-1]:,.0f}/s "
                f"(this process's CPU: {cpu:.2f} s)"
            )
    print(
        f"\n{connection.vendor}: median {statistics.median(rates):,.0f} clients per second "
        f"({count:,} clients, {runs} runs; target 1,000/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    postgres = configure()
    from django.core.management import call_command
    from django.db import connection

    if postgres:
        connection.settings_dict["TEST"]["NAME"] = f"softtissue_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        run(options.clients, options.runs)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()

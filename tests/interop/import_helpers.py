"""Running `softtissue import clients` in the test process, and writing sample files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).parent / "data"
HEADER = "first_name,last_name,date_of_birth,sex,email"


@dataclass(frozen=True)
class Run:
    """The exit code the command would end with, and what it printed."""

    code: int
    output: str


def run_import(path: Path, *options: str) -> Run:
    """The import command as the CLI runs it, without a subprocess."""
    out = io.StringIO()
    try:
        call_command("import", "clients", str(path), *options, stdout=out)
    except CommandError as error:
        return Run(error.returncode, out.getvalue() + str(error))
    return Run(0, out.getvalue())


def write_csv(folder: Path, text: str, name: str = "clients.csv", encoding: str = "utf-8") -> Path:
    """A CSV file with this text."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def write_many(path: Path, count: int) -> Path:
    """A generic CSV of invented clients, each unique on name and date of birth."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "date_of_birth", "phone", "email"])
        for number in range(count):
            born = date(1940, 1, 1) + timedelta(days=number % 25_000)
            writer.writerow(
                [
                    "Testclient",
                    f"Number{number}",
                    born.isoformat(),
                    f"07700 9{number % 100000:05d}",
                    f"client{number}@example.com",
                ]
            )
    return path

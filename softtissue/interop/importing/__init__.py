"""Importing clients (and appointments) from a Cliniko patient export or a generic CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from softtissue.accounts.models import Clinic
from softtissue.interop.importing.columns import FORMATS, MAPPINGS, Format, detect_format
from softtissue.interop.importing.problems import FileProblem, Problem
from softtissue.interop.importing.reading import read_table
from softtissue.interop.importing.validation import Checked, check_table
from softtissue.interop.importing.writer import prepare, write_prepared
from softtissue.planner import refresh_statistics

__all__ = ["FORMATS", "FileProblem", "ImportResult", "Problem", "Reporter", "import_clients"]


class Reporter(Protocol):
    """Where progress goes: the command shows it as a Rich progress bar."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What was checked, and whether it was written."""

    checked: Checked
    written: bool


def import_clients(
    path: Path,
    clinic: Clinic,
    reporter: Reporter,
    file_format: Format | None = None,
    dry_run: bool = False,
    allow_duplicates: bool = False,
) -> ImportResult:
    """Check the whole file, then write all of it in one short transaction, or nothing at all."""
    table = read_table(path)
    mapping = MAPPINGS[file_format or detect_format(table.header)]
    reporter.start("Checking rows", len(table.records))
    checked = check_table(table, mapping, clinic, allow_duplicates, reporter.advance)
    if checked.problems or dry_run:
        return ImportResult(checked, written=False)
    # Outside the transaction, so other requests are kept waiting only while it writes.
    reporter.start("Preparing clients", len(checked.candidates))
    prepared = prepare(checked.candidates, reporter.advance)
    reporter.start("Writing clients", len(checked.candidates))
    write_prepared(checked.candidates, prepared, reporter.advance)
    # Thousands of new clients change what the planner should choose (a no-op on PostgreSQL).
    refresh_statistics()
    return ImportResult(checked, written=True)

"""`softtissue backup OUT`: the whole database and a manifest in one archive file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softtissue.interop.backup import BackupError, create_backup


class Command(BaseCommand):
    # A recovery tool must run even when a system check (URLs, admin) fails on a broken install.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (SQLite online backup or pg_dump) with a manifest of row counts "
        "and signed-note chain heads into one .tar.gz file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the archive to write, e.g. backup.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            manifest = create_backup(out)
        except BackupError as error:
            raise CommandError(f"backup failed: {error}", returncode=2) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        links = sum(chain["links"] for chain in manifest["chains"].values())
        self.stdout.write(
            f"Backed up {rows} rows in {len(manifest['tables'])} tables and {links} signed "
            f"records ({manifest['engine']}) to {out}"
        )

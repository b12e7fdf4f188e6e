"""`softtissue restore IN`: check a backup, restore it, and prove the data came back whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softtissue.interop.backup import BackupError, VerificationError, restore_backup


class Command(BaseCommand):
    # A recovery tool must run even when a system check (URLs, admin) fails on a broken install.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `softtissue backup`: verify the archive, restore it, then "
        "check every table's rows and each clinic's signed-note chain. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar.gz file `backup` wrote")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace a database that already holds clinics or users",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            manifest = restore_backup(archive, options["yes"])
        except BackupError as error:
            raise CommandError(
                f"restore refused: {error}. Nothing was changed.", returncode=2
            ) from None
        except VerificationError as error:
            raise CommandError(f"restore failed verification: {error}", returncode=1) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        links = sum(chain["links"] for chain in manifest["chains"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {rows} rows in "
            f"{len(manifest['tables'])} tables match the manifest and {links} signed records "
            "verified: every chain is intact."
        )

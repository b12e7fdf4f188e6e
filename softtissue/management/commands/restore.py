"""`softtissue restore IN`: check a backup, restore it, and prove the data came back whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softtissue.interop.backup import VerificationError, restore_backup
from softtissue.interop.backup_safety import (
    PASSPHRASE_VARIABLE,
    SKIP_KEY_FLAG,
    BackupError,
    is_encrypted,
    read_passphrase,
)


class Command(BaseCommand):
    # A recovery tool must run even when a system check (URLs, admin) fails on a broken install.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `softtissue backup`: check the manifest's key and every "
        "member before writing it, restore the database and the uploaded files, then check "
        "every table's rows and each clinic's signed-note chain. Refused while softtissue "
        f"serve runs. An encrypted archive's passphrase comes from {PASSPHRASE_VARIABLE} or "
        "is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the file `backup` wrote")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace a database that already holds clinics or users",
        )
        parser.add_argument(
            SKIP_KEY_FLAG,
            action="store_true",
            dest="skip_key_check",
            help=(
                "restore an archive whose manifest this data directory's backup_key cannot "
                "check (another machine's, or an old format): damage is still detected, "
                "forgery is not"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            secret = read_passphrase(confirm=False) if is_encrypted(archive) else None
            manifest = restore_backup(
                archive, options["yes"], passphrase=secret, check_key=not options["skip_key_check"]
            )
        except BackupError as error:
            raise CommandError(
                f"restore refused: {error}. Nothing was changed.", returncode=2
            ) from None
        except VerificationError as error:
            raise CommandError(f"restore failed verification: {error}", returncode=1) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        links = sum(chain["links"] for chain in manifest["chains"].values())
        files = len(manifest["files"])
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {rows} rows in "
            f"{len(manifest['tables'])} tables and {files} uploaded "
            f"file{'s' if files != 1 else ''} match the manifest and {links} signed records "
            "verified: every chain is intact."
        )
        if options["skip_key_check"]:
            self.stdout.write(
                "The manifest was not checked against a backup key: damage is detected, not "
                "forgery. The next backup here is keyed with this data directory's backup_key."
            )

"""`softtissue backup OUT`: the whole record (database and uploads) and a manifest in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softtissue.interop.backup import create_backup, verify_chains
from softtissue.interop.backup_safety import PASSPHRASE_VARIABLE, BackupError, read_passphrase
from softtissue.treatments.anchors import missing_key_warning


class Command(BaseCommand):
    # A recovery tool must run even when a system check (URLs, admin) fails on a broken install.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (SQLite online backup or pg_dump, without login sessions) and "
        "every uploaded file, with a manifest of row counts, file SHA-256s and signed-note chain "
        "heads keyed with this data directory's backup_key, into one .tar.gz file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the archive to write, e.g. backup.tar.gz")
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help=(
                "encrypt the archive with a passphrase (age format), for a copy that leaves "
                f"this machine; the passphrase comes from {PASSPHRASE_VARIABLE} or is asked for"
            ),
        )
        parser.add_argument(
            "--allow-broken-chain",
            action="store_true",
            help=(
                "back up even when a signed-note chain fails verification (each broken link is "
                "named as a warning); without it the backup is refused"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        self.check_chains(options["allow_broken_chain"])
        try:
            secret = read_passphrase(confirm=True) if options["encrypt"] else None
            manifest = create_backup(out, passphrase=secret)
        except BackupError as error:
            raise CommandError(f"backup failed: {error}", returncode=2) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        links = sum(chain["links"] for chain in manifest["chains"].values())
        files = len(manifest["files"])
        self.stdout.write(
            f"Backed up {rows} rows in {len(manifest['tables'])} tables, {files} uploaded "
            f"file{'s' if files != 1 else ''} and {links} signed records ({manifest['engine']}) "
            f"to {out}{' (encrypted)' if secret else ''}"
        )

    def check_chains(self, allow_broken: bool) -> None:
        """Refuse (exit 2) to back up a broken chain, or warn and go on when allowed: a backup
        of a broken chain would not restore, since the restore verifies every chain."""
        problems = verify_chains()
        if problems and not allow_broken:
            raise CommandError(
                "backup refused: a signed-note chain fails verification ("
                + "; ".join(problems)
                + "). Run `softtissue verify-notes`, or add --allow-broken-chain to back up "
                "as it is.",
                returncode=2,
            )
        for problem in problems:
            self.stderr.write(f"WARNING: {problem}")
        warning = missing_key_warning()
        if warning:
            self.stderr.write(f"WARNING: {warning}")

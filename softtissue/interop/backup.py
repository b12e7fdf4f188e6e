"""One-file backups of the whole record (database and uploads), and a restore that proves what
it brought back. Keys, encryption and the in-use lock are in backup_safety.py."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader

import softtissue
from softtissue.interop.backup_archive import (
    CHUNK,
    DUMP_NAMES,
    FORMAT_VERSION,
    extract_members,
    opened_archive,
    write_archive,
)
from softtissue.interop.backup_safety import (
    BackupError,
    check_manifest_key,
    encrypt,
    refuse_if_connected,
    refuse_if_open,
    restoring,
    sign_manifest,
)
from softtissue.planner import refresh_statistics

# A session key is a login with no password and no second factor: its rows never leave.
ROWS_LEFT_OUT = ("django_session",)


class VerificationError(Exception):
    """The restored data does not match the manifest: the message names the table or note."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a database holds: rows and digest per table, migrations, and each chain's head."""

    tables: dict[str, dict[str, Any]]
    migrations: list[list[str]]
    chains: dict[str, dict[str, Any]]


def engine_name(alias: str = "default") -> str:
    """ "sqlite" or "postgresql", the only engines softtissue runs on."""
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(
            f"the {vendor} database engine is not supported: use SQLite or PostgreSQL"
        )
    return vendor


def model_tables() -> dict[str, str]:
    """Every table Django manages (softtissue, audit, auth, sessions...) and its key column."""
    tables = {"django_migrations": "id"}
    for model in apps.get_models(include_auto_created=True):
        column = model._meta.pk.column
        if model._meta.managed and not model._meta.proxy and column:
            tables[model._meta.db_table] = column
    return dict(sorted(tables.items()))


def _plain(value: Any) -> str:
    # Bytes (letters' PDFs) go in by their hash, so one row never needs its whole file in a string.
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "b:" + hashlib.sha256(value).hexdigest()
    return f"{type(value).__name__}:{value}"


def _digest_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        count += 1
        digest.update(json.dumps([_plain(value) for value in row]).encode("utf-8"))
        digest.update(b"\n")
    return count, digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _take_snapshot(cursor: Any, existing: set[str], left_out: Iterable[str] = ()) -> Snapshot:
    """Read a snapshot through a DB-API cursor (sqlite3 or Django's); the caller fixes the time.

    Tables in LEFT_OUT count as empty: their rows are not in the dump this snapshot describes.
    """
    tables: dict[str, dict[str, Any]] = {}
    for table, key in model_tables().items():
        if table not in existing:
            continue
        if table in left_out:
            rows, digest = _digest_rows(())
            tables[table] = {"rows": rows, "sha256": digest}
            continue
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {_quote(key)}")  # noqa: S608
        rows, digest = _digest_rows(iter(cursor.fetchone, None))
        tables[table] = {"rows": rows, "sha256": digest}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = [[app, name] for app, name in cursor.fetchall()]
    return Snapshot(tables, migrations, _chain_heads(cursor, existing))


def chain_tables() -> list[str]:
    """Tables whose rows are links of a clinic's signed-note chain (notes, addenda, erased)."""
    tables = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if {"clinic", "sequence", "content_hash"} <= names:
            tables.append(model._meta.db_table)
    return sorted(tables)


def _chain_heads(cursor: Any, existing: set[str]) -> dict[str, dict[str, Any]]:
    """Per clinic: how many links its signed-note chain has and the hash of the last one."""
    heads: dict[str, dict[str, Any]] = {}
    for table in chain_tables():
        if table not in existing:
            continue
        cursor.execute(
            f"SELECT clinic_id, sequence, content_hash FROM {_quote(table)} "  # noqa: S608
            "WHERE sequence IS NOT NULL"
        )
        for clinic_id, sequence, content_hash in cursor.fetchall():
            head = heads.setdefault(str(clinic_id), {"links": 0, "sequence": 0, "head": ""})
            head["links"] += 1
            if sequence > head["sequence"]:
                head["sequence"], head["head"] = sequence, content_hash
    return {
        clinic: {"links": head["links"], "head": head["head"]}
        for clinic, head in sorted(heads.items(), key=lambda item: int(item[0]))
    }


def sqlite_tables(db: sqlite3.Connection) -> set[str]:
    """The names of the tables in a SQLite database."""
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def sqlite_snapshot(path: Path) -> Snapshot:
    """The snapshot of a SQLite file, read in one read transaction."""
    with contextlib.closing(sqlite3.connect(path, timeout=20)) as db:
        db.execute("BEGIN")
        snapshot = _take_snapshot(db.cursor(), sqlite_tables(db))
        db.rollback()
    return snapshot


def django_snapshot(alias: str = "default") -> Snapshot:
    """The snapshot of the configured database, through Django's connection."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return _take_snapshot(cursor, existing)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_and_args(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment only."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    # A restore must not wait forever behind a running server's locks.
    env["PGOPTIONS"] = "-c lock_timeout=30s"
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def _run_pg(program: str, args: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{program} is not installed: install the PostgreSQL client") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise BackupError(f"{program} failed: {detail[-1] if detail else result.returncode}")


def _dump_sqlite(dump: Path, alias: str) -> Snapshot:
    source = Path(connections[alias].settings_dict["NAME"])
    if not source.exists():
        raise BackupError(f"there is no database at {source} to back up")
    # SQLite's online backup copies a consistent snapshot while the app keeps writing (WAL).
    with (
        contextlib.closing(sqlite3.connect(source, timeout=20)) as live,
        contextlib.closing(sqlite3.connect(dump)) as copy,
    ):
        live.backup(copy)
        # A self-contained file: no -wal beside it that the archive would miss.
        copy.execute("PRAGMA journal_mode=DELETE")
        with copy:
            for table in sorted(set(ROWS_LEFT_OUT) & sqlite_tables(copy)):
                copy.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608
        # Rebuilt without free pages: no deleted row (a session, an erased client) stays in it.
        copy.execute("VACUUM")
    return sqlite_snapshot(dump)


def _dump_postgresql(dump: Path, alias: str) -> Snapshot:
    connection = connections[alias]
    connection.ensure_connection()
    env, args = _pg_env_and_args(alias)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # pg_dump shares this transaction's snapshot, so the counts describe exactly the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        left_out = [f"--exclude-table-data={table}" for table in ROWS_LEFT_OUT]
        _run_pg(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot_id}", *left_out, "--file", str(dump), *args],
            env,
        )
        existing = set(connection.introspection.table_names(cursor))
        return _take_snapshot(cursor, existing, ROWS_LEFT_OUT)


def stored_files() -> dict[str, Path]:
    """Every uploaded file (MEDIA_ROOT, e.g. clearance letters), by its name in the storage."""
    media = Path(settings.MEDIA_ROOT)
    found: dict[str, Path] = {}
    for folder, subfolders, names in os.walk(media):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            # Only what the storage wrote: a symlink could point anywhere on the machine.
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(media).as_posix()] = path
    return found


def _describe_files(files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {
        name: {"sha256": _sha256_file(path), "bytes": path.stat().st_size}
        for name, path in files.items()
    }


def create_backup(
    out: Path, alias: str = "default", passphrase: str | None = None
) -> dict[str, Any]:
    """Write the archive to OUT (never a half-written file) and return its manifest.

    With a passphrase the archive is age-encrypted (backup_safety.py); the manifest is signed
    with the data directory's backup key either way.
    """
    engine = engine_name(alias)
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new file name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    with tempfile.TemporaryDirectory(prefix="softtissue-backup-") as work:
        dump = Path(work) / DUMP_NAMES[engine]
        snapshot = (
            _dump_sqlite(dump, alias) if engine == "sqlite" else _dump_postgresql(dump, alias)
        )
        # After the database: a file uploaded meanwhile is extra, never a row without its file
        # (uploads are written once under new names, and erasure removes them after its commit).
        files = stored_files()
        manifest = sign_manifest(
            {
                "format_version": FORMAT_VERSION,
                "softtissue_version": softtissue.__version__,
                "engine": engine,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "dump": dump.name,
                "dump_sha256": _sha256_file(dump),
                "dump_bytes": dump.stat().st_size,
                "migrations": snapshot.migrations,
                "tables": snapshot.tables,
                "chains": snapshot.chains,
                "files": _describe_files(files),
                "rows_left_out": list(ROWS_LEFT_OUT),
            }
        )
        partial = out.with_name(f".{out.name}.partial")
        # Health data: the archive is readable by its owner only, from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                if passphrase is None:
                    write_archive(handle, manifest, dump, files)
                else:
                    plain = io.BytesIO()
                    write_archive(plain, manifest, dump, files)
                    handle.write(encrypt(plain.getvalue(), passphrase))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def check_migrations(manifest: dict[str, Any], alias: str = "default") -> None:
    """Refuse a backup from a newer softtissue: this code would not know its tables."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            "the backup was made by a newer softtissue (unknown migrations: "
            f"{', '.join(unknown[:3])}): upgrade softtissue before restoring"
        )


def behind(manifest: dict[str, Any]) -> bool:
    """True when this softtissue has migrations the backup's database had not yet applied."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return bool(known - {(app, name) for app, name in manifest["migrations"]})


def bring_up_to_date(alias: str) -> None:
    """Apply this version's newer migrations to a restored older backup."""
    try:
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    except DatabaseError as error:
        raise VerificationError(
            f"the backup's older schema could not be migrated ({error}): restore it into an "
            "empty database (on PostgreSQL: dropdb and createdb), then run `softtissue migrate`"
        ) from None


def database_has_data(alias: str = "default") -> bool:
    """True when the target already holds users or clinics that a restore would replace."""
    connection = connections[alias]
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return False
    from softtissue.accounts.models import Clinic, User

    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    return any(
        model._meta.db_table in existing and model.objects.using(alias).exists()
        for model in (User, Clinic)
    )


def compare(manifest: dict[str, Any], found: Snapshot) -> list[str]:
    """Every table whose rows differ from the manifest, and every chain whose head moved."""
    problems = []
    for table, expected in manifest["tables"].items():
        actual = found.tables.get(table)
        if actual is None:
            problems.append(f"table {table} is missing")
        elif actual["rows"] != expected["rows"]:
            problems.append(
                f"table {table} has {actual['rows']} rows; the backup had {expected['rows']}"
            )
        elif actual["sha256"] != expected["sha256"]:
            problems.append(f"table {table}: the rows differ from the backup's")
    for clinic, expected in manifest["chains"].items():
        actual = found.chains.get(clinic, {"links": 0, "head": ""})
        if actual != expected:
            problems.append(
                f"clinic {clinic}: the signed-note chain's head differs from the backup's"
            )
    return problems


def verify_chains(alias: str = "default") -> list[str]:
    """Walk every clinic's signed-note chain with the signing code; name each broken link."""
    from softtissue.accounts.models import Clinic
    from softtissue.treatments.signing import verify_clinic

    try:
        clinics = list(Clinic.objects.using(alias).order_by("pk").values_list("pk", flat=True))
        found = [bad for clinic_id in clinics for bad in verify_clinic(clinic_id)[1]]
    except DatabaseError as error:
        return [f"the signed-note chains could not be read ({error})"]
    problems = []
    for bad in found:
        what = {"addendum": "addendum to note", "erased": "erased link of note"}.get(
            bad.kind, "note"
        )
        problems.append(f"clinic {bad.clinic_id}: {what} {bad.note.pk} {bad.reason}")
    return problems


@contextlib.contextmanager
def pointed_at(path: Path, alias: str = "default") -> Iterator[None]:
    """Run Django's ORM against another SQLite file for a while, then back to the real one."""
    connection = connections[alias]
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def restore_backup(
    path: Path,
    allow_overwrite: bool,
    alias: str = "default",
    passphrase: str | None = None,
    check_key: bool = True,
) -> dict[str, Any]:
    """Check the archive, restore it and verify it; raise before changing anything if it is bad.

    Refused while `softtissue serve` (or, on SQLite, any program; on PostgreSQL, any other
    connection) uses the database, and while the manifest is not this installation's own (its
    HMAC), unless CHECK_KEY is false.
    """
    engine = engine_name(alias)
    with restoring(), opened_archive(path, passphrase) as (archive, manifest):
        _check_target(manifest, engine, allow_overwrite, alias, path.name, check_key)
        if engine == "sqlite":
            refuse_if_open(Path(connections[alias].settings_dict["NAME"]))
        else:
            refuse_if_connected(alias)
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(parents=True, exist_ok=True)
        # Beside the uploads folder, so putting it in place is one rename on one filesystem.
        staged_media = Path(tempfile.mkdtemp(prefix=".restore-media-", dir=media.parent))
        try:
            if engine == "sqlite":
                _restore_sqlite(archive, manifest, path.name, staged_media, alias)
            else:
                _restore_postgresql(archive, manifest, path.name, staged_media, alias)
        finally:
            shutil.rmtree(staged_media, ignore_errors=True)
    if engine == "sqlite":
        # The restored file may never have been analysed: without statistics SQLite's planner
        # guesses, and at scale it has guessed a walk over a whole table (docs/performance.md).
        refresh_statistics(alias)
    return manifest


def _check_target(
    manifest: dict[str, Any], engine: str, allow: bool, alias: str, name: str, check_key: bool
) -> None:
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database and softtissue is configured "
            f"for {engine}: restore it with the same engine (see SOFTTISSUE_DATABASE_URL)"
        )
    if check_key:
        check_manifest_key(manifest, name)
    check_migrations(manifest, alias)
    if not allow and database_has_data(alias):
        raise BackupError(
            "the database already holds clinics or users: add --yes to replace them with the backup"
        )


def _clear_left_out(cursor: Any, existing: set[str]) -> None:
    # A format 1 archive still holds sessions: none of them may log anybody in again.
    for table in sorted(set(ROWS_LEFT_OUT) & existing):
        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608


def _restore_sqlite(
    archive: tarfile.TarFile, manifest: dict[str, Any], name: str, staged_media: Path, alias: str
) -> None:
    database = Path(connections[alias].settings_dict["NAME"])
    database.parent.mkdir(parents=True, exist_ok=True)
    # Next to the database, so the final replace is one atomic rename on the same filesystem.
    descriptor, staged_name = tempfile.mkstemp(
        prefix=".restore-", suffix=".sqlite3", dir=database.parent
    )
    os.close(descriptor)
    staged = Path(staged_name)
    try:
        extract_members(archive, manifest, name, staged, staged_media)
        try:
            with contextlib.closing(sqlite3.connect(staged)) as db:
                result = db.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError:
            raise BackupError(f"the dump in {name} is not a SQLite database") from None
        if result != "ok":
            raise BackupError(f"{name}: the database in the backup is corrupt ({result})")
        try:
            problems = compare(manifest, sqlite_snapshot(staged))
        except sqlite3.Error as error:
            raise BackupError(
                f"the dump in {name} is not a softtissue database ({error})"
            ) from None
        with pointed_at(staged, alias):
            if not problems and behind(manifest):
                bring_up_to_date(alias)
            problems += verify_chains(alias)
        if problems:
            raise VerificationError("; ".join(problems) + " (the database was left unchanged)")
        with contextlib.closing(sqlite3.connect(staged)) as db:
            with db:
                _clear_left_out(db.cursor(), sqlite_tables(db))
            # The ORM check switched the copy to WAL; fold it back into one self-contained file.
            db.execute("PRAGMA journal_mode=DELETE")
        # Checked again: a program may have opened the database while the archive was read.
        refuse_if_open(database)
        _swap_in(staged, database, alias)
        _swap_media(staged_media, manifest)
    finally:
        for leftover in (staged, *_sidecars(staged)):
            leftover.unlink(missing_ok=True)


def _sidecars(database: Path) -> tuple[Path, Path]:
    return database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")


def _swap_in(staged: Path, database: Path, alias: str) -> None:
    """Replace the database file; no connection of ours may still point at the old one."""
    connections.close_all()
    if database.exists():
        with contextlib.closing(sqlite3.connect(database, timeout=20)) as old:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(staged, database)
    # The old file's WAL and shared-memory index must not be replayed into the new file.
    for sidecar in _sidecars(database):
        sidecar.unlink(missing_ok=True)
    _sync_directory(database.parent)
    connections[alias].close()


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _swap_media(staged: Path, manifest: dict[str, Any]) -> None:
    """Put the backup's uploads in place of the current ones (a format 1 archive has none)."""
    if manifest["format_version"] == 1:
        return
    media = Path(settings.MEDIA_ROOT)
    old = staged.with_name(staged.name.replace(".restore-media-", ".restore-old-media-"))
    if media.exists():
        os.replace(media, old)
    os.replace(staged, media)
    _sync_directory(media.parent)
    shutil.rmtree(old, ignore_errors=True)


def _restore_postgresql(
    archive: tarfile.TarFile, manifest: dict[str, Any], name: str, staged_media: Path, alias: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="softtissue-restore-") as work:
        dump = Path(work) / DUMP_NAMES["postgresql"]
        extract_members(archive, manifest, name, dump, staged_media)
        # Checked again: a program may have connected while the archive was read.
        refuse_if_connected(alias)
        connections.close_all()
        env, args = _pg_env_and_args(alias)
        # One transaction: a failure part-way leaves the database exactly as it was.
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--single-transaction", "--no-owner", *args, str(dump)],
            env,
        )
    # The database is the backup's now: its uploads go with it, whatever the checks find.
    _swap_media(staged_media, manifest)
    problems = compare(manifest, django_snapshot(alias))
    if not problems and behind(manifest):
        bring_up_to_date(alias)
    problems += verify_chains(alias)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        _clear_left_out(cursor, set(connection.introspection.table_names(cursor)))
    if problems:
        raise VerificationError("; ".join(problems))

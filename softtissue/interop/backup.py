"""One-file backups of the whole database, and a restore that proves what it brought back."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader

import softtissue
from softtissue.planner import refresh_statistics

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MANIFEST_KEYS = (
    "format_version",
    "softtissue_version",
    "engine",
    "created_at",
    "dump",
    "dump_sha256",
    "dump_bytes",
    "migrations",
    "tables",
    "chains",
)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup cannot be made, or the archive cannot be restored: the message says why."""


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


def _take_snapshot(cursor: Any, existing: set[str]) -> Snapshot:
    """Read a snapshot through a DB-API cursor (sqlite3 or Django's); the caller fixes the time."""
    tables: dict[str, dict[str, Any]] = {}
    for table, key in model_tables().items():
        if table not in existing:
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


def sqlite_snapshot(path: Path) -> Snapshot:
    """The snapshot of a SQLite file, read in one read transaction."""
    with contextlib.closing(sqlite3.connect(path, timeout=20)) as db:
        db.execute("BEGIN")
        existing = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        snapshot = _take_snapshot(db.cursor(), existing)
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
        _run_pg(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot_id}", "--file", str(dump), *args],
            env,
        )
        existing = set(connection.introspection.table_names(cursor))
        return _take_snapshot(cursor, existing)


def create_backup(out: Path, alias: str = "default") -> dict[str, Any]:
    """Write the archive to OUT (never a half-written file) and return its manifest."""
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
        manifest = {
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
        }
        partial = out.with_name(f".{out.name}.partial")
        # Health data: the archive is readable by its owner only, from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                write_archive(handle, manifest, dump)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def write_archive(handle: Any, manifest: dict[str, Any], dump: Path) -> None:
    """A gzipped tar: the manifest first, so a reader can check it before the dump."""
    with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as archive:
        data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        now = time.time()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(data), 0o600, now
        archive.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(manifest["dump"])
        info.size, info.mode, info.mtime = dump.stat().st_size, 0o600, now
        with dump.open("rb") as source:
            archive.addfile(info, source)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    """The archive's manifest, checked for shape before anything trusts it."""
    try:
        member = archive.getmember(MANIFEST_NAME)
    except KeyError:
        raise BackupError(f"{name} has no {MANIFEST_NAME}: it is not a softtissue backup") from None
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"{name}: {MANIFEST_NAME} is not a regular file")
    try:
        manifest = json.loads(handle.read())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{name}: {MANIFEST_NAME} is not valid JSON") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{name}: {MANIFEST_NAME} is not a JSON object")
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise BackupError(f"{name}: {MANIFEST_NAME} lacks {', '.join(missing)}")
    if manifest["format_version"] != FORMAT_VERSION:
        raise BackupError(
            f"{name} is backup format {manifest['format_version']!r}; "
            f"this softtissue reads format {FORMAT_VERSION}"
        )
    engine = manifest["engine"]
    if not isinstance(engine, str) or manifest["dump"] != DUMP_NAMES.get(engine):
        raise BackupError(f"{name}: {MANIFEST_NAME} names an unknown engine or dump file")
    if not _well_formed(manifest):
        raise BackupError(f"{name}: {MANIFEST_NAME} has fields of the wrong shape")
    return manifest


def _well_formed(manifest: dict[str, Any]) -> bool:
    """The fields the restore reads have the types it expects (the file may be hand-edited)."""
    tables, chains, migrations = manifest["tables"], manifest["chains"], manifest["migrations"]
    return (
        isinstance(manifest["dump_sha256"], str)
        and isinstance(tables, dict)
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("rows"), int)
            and isinstance(entry.get("sha256"), str)
            for entry in tables.values()
        )
        and isinstance(chains, dict)
        and all(isinstance(entry, dict) for entry in chains.values())
        and isinstance(migrations, list)
        and all(
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
            for item in migrations
        )
    )


@contextlib.contextmanager
def opened_archive(path: Path) -> Iterator[tuple[tarfile.TarFile, dict[str, Any]]]:
    """The archive and its manifest; a file that is not a readable archive is a BackupError."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            yield archive, read_manifest(archive, path.name)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{path.name} is damaged or truncated ({error})") from None


def extract_dump(path: Path, target: Path) -> dict[str, Any]:
    """Copy the dump out of the archive and prove it is the one the manifest describes."""
    with opened_archive(path) as (archive, manifest):
        names = sorted(archive.getnames())
        if names != sorted([MANIFEST_NAME, manifest["dump"]]):
            raise BackupError(f"{path.name} holds unexpected files: {', '.join(names)}")
        member = archive.getmember(manifest["dump"])
        source = archive.extractfile(member) if member.isfile() else None
        if source is None:
            raise BackupError(f"{path.name}: {manifest['dump']} is not a regular file")
        digest = hashlib.sha256()
        with target.open("wb") as handle:
            while block := source.read(CHUNK):
                digest.update(block)
                handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
    if digest.hexdigest() != manifest["dump_sha256"]:
        raise BackupError(
            f"{path.name}: the database dump's sha256 does not match the manifest "
            "(the file was altered or damaged)"
        )
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


def restore_backup(path: Path, allow_overwrite: bool, alias: str = "default") -> dict[str, Any]:
    """Check the archive, restore it and verify it; raise before changing anything if it is bad."""
    engine = engine_name(alias)
    if engine == "sqlite":
        manifest = _restore_sqlite(path, allow_overwrite, alias)
        # The restored file may never have been analysed: without statistics SQLite's planner
        # guesses, and at scale it has guessed a walk over a whole table (docs/performance.md).
        refresh_statistics(alias)
        return manifest
    return _restore_postgresql(path, allow_overwrite, alias)


def _check_target(manifest: dict[str, Any], engine: str, allow: bool, alias: str) -> None:
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database and softtissue is configured "
            f"for {engine}: restore it with the same engine (see SOFTTISSUE_DATABASE_URL)"
        )
    check_migrations(manifest, alias)
    if not allow and database_has_data(alias):
        raise BackupError(
            "the database already holds clinics or users: add --yes to replace them with the backup"
        )


def _restore_sqlite(path: Path, allow: bool, alias: str) -> dict[str, Any]:
    database = Path(connections[alias].settings_dict["NAME"])
    database.parent.mkdir(parents=True, exist_ok=True)
    # Next to the database, so the final replace is one atomic rename on the same filesystem.
    descriptor, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=database.parent)
    os.close(descriptor)
    staged = Path(name)
    try:
        manifest = extract_dump(path, staged)
        _check_target(manifest, "sqlite", allow, alias)
        with contextlib.closing(sqlite3.connect(staged)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{path.name}: the database in the backup is corrupt ({result})")
        problems = compare(manifest, sqlite_snapshot(staged))
        with pointed_at(staged, alias):
            if not problems and behind(manifest):
                bring_up_to_date(alias)
            problems += verify_chains(alias)
        if problems:
            raise VerificationError("; ".join(problems) + " (the database was left unchanged)")
        with contextlib.closing(sqlite3.connect(staged)) as db:
            # The ORM check switched the copy to WAL; fold it back into one self-contained file.
            db.execute("PRAGMA journal_mode=DELETE")
        _swap_in(staged, database, alias)
    finally:
        for leftover in (staged, *_sidecars(staged)):
            leftover.unlink(missing_ok=True)
    return manifest


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
    directory = os.open(database.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    connections[alias].close()


def _restore_postgresql(path: Path, allow: bool, alias: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="softtissue-restore-") as work:
        dump = Path(work) / DUMP_NAMES["postgresql"]
        manifest = extract_dump(path, dump)
        _check_target(manifest, "postgresql", allow, alias)
        connections.close_all()
        env, args = _pg_env_and_args(alias)
        # One transaction: a failure part-way leaves the database exactly as it was.
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--single-transaction", "--no-owner", *args, str(dump)],
            env,
        )
    problems = compare(manifest, django_snapshot(alias))
    if not problems and behind(manifest):
        bring_up_to_date(alias)
    problems += verify_chains(alias)
    if problems:
        raise VerificationError("; ".join(problems))
    return manifest

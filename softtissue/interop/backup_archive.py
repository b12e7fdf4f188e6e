"""The backup archive's format: a gzipped tar with the manifest first, the database dump, then
every uploaded file under media/. The reader checks each member against the manifest (name,
size, free space) before it writes a byte of it, and its SHA-256 as it writes."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from softtissue.interop.backup_safety import BackupError, decrypt, is_encrypted

FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
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
# Format 2 adds the uploaded files, the tables whose rows are left out, and the key's HMAC.
MANIFEST_KEYS_2 = (*MANIFEST_KEYS, "files", "rows_left_out", "key_id", "manifest_hmac")
CHUNK = 1024 * 1024
# A real manifest is a few kB per hundred tables or files; past this it is not one of ours.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# Tar headers and padding around each member, counted generously.
MEMBER_OVERHEAD = 64 * 1024
# Free space a restored database still needs to work (its WAL, a migration).
RESERVE_BYTES = 64 * 1024 * 1024


def write_archive(
    handle: Any, manifest: dict[str, Any], dump: Path, files: dict[str, Path]
) -> None:
    """A gzipped tar: the manifest first, so a reader can check it before the dump and files."""
    with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as archive:
        data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        now = time.time()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(data), 0o600, now
        archive.addfile(info, io.BytesIO(data))
        members = [(manifest["dump"], dump, manifest["dump_sha256"])]
        members += [(MEDIA_PREFIX + n, p, manifest["files"][n]["sha256"]) for n, p in files.items()]
        for name, path, sha256 in members:
            info = tarfile.TarInfo(name)
            info.mode, info.mtime = 0o600, now
            with path.open("rb") as source:
                info.size = os.fstat(source.fileno()).st_size
                reader = _Hashing(source)
                archive.addfile(info, reader)
            if reader.digest.hexdigest() != sha256:
                raise BackupError(f"{name} changed while it was backed up: run the backup again")


class _Hashing:
    """A file read through a SHA-256, so what went into the archive is what the manifest says."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self.source.read(size)
        self.digest.update(block)
        return block


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Bounded(io.RawIOBase):
    """The decompressed archive, refused past a limit: no tar header can make us read for ever."""

    def __init__(self, source: _Readable, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.consumed >= self.limit:
            raise BackupError("the archive holds more data than its manifest lists")
        view = memoryview(buffer)[: self.limit - self.consumed]
        block = self.source.read(len(view))
        view[: len(block)] = block
        self.consumed += len(block)
        return len(block)


def safe_name(name: str) -> bool:
    """A relative path inside the uploads folder: no absolute path, no `.` or `..` part."""
    parts = name.split("/")
    return all(part not in {"", ".", ".."} and "\0" not in part for part in parts)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    """The archive's first member, the manifest, checked for shape before anything trusts it."""
    member = archive.next()
    if member is None or member.name != MANIFEST_NAME:
        raise BackupError(f"{name} has no {MANIFEST_NAME}: it is not a softtissue backup")
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        raise BackupError(f"{name}: {MANIFEST_NAME} is not a regular file")
    if member.size > MAX_MANIFEST_BYTES:
        raise BackupError(
            f"{name}: {MANIFEST_NAME} is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MiB: "
            "it is not a softtissue manifest"
        )
    try:
        manifest = json.loads(handle.read())
    except RecursionError:
        raise BackupError(f"{name}: {MANIFEST_NAME} is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{name}: {MANIFEST_NAME} is not valid JSON") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{name}: {MANIFEST_NAME} is not a JSON object")
    version = manifest.get("format_version")
    if version is not None and version not in READABLE_FORMATS:
        raise BackupError(
            f"{name} is backup format {version!r}; this softtissue reads formats "
            f"{', '.join(map(str, READABLE_FORMATS))}"
        )
    keys = MANIFEST_KEYS if version == 1 else MANIFEST_KEYS_2
    missing = [key for key in keys if key not in manifest]
    if missing:
        raise BackupError(f"{name}: {MANIFEST_NAME} lacks {', '.join(missing)}")
    unknown = sorted(set(manifest) - set(keys))
    if unknown:
        raise BackupError(f"{name}: {MANIFEST_NAME} has unknown fields: {', '.join(unknown[:3])}")
    engine = manifest["engine"]
    if not isinstance(engine, str) or manifest["dump"] != DUMP_NAMES.get(engine):
        raise BackupError(f"{name}: {MANIFEST_NAME} names an unknown engine or dump file")
    if not _well_formed(manifest):
        raise BackupError(f"{name}: {MANIFEST_NAME} has fields of the wrong shape")
    manifest.setdefault("files", {})
    manifest.setdefault("rows_left_out", [])
    bad = [file for file in manifest["files"] if not safe_name(file)]
    if bad:
        raise BackupError(
            f"{name}: {MANIFEST_NAME} lists {bad[0]!r}, which is not a safe file name"
        )
    return manifest


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entries(value: object, shape: dict[str, type]) -> bool:
    """A JSON object of objects with exactly these fields (so no field nests deeper)."""
    return isinstance(value, dict) and all(
        isinstance(entry, dict)
        and set(entry) == set(shape)
        and all(
            _count(entry[key]) if kind is int else isinstance(entry[key], kind)
            for key, kind in shape.items()
        )
        for entry in value.values()
    )


def _well_formed(manifest: dict[str, Any]) -> bool:
    """The fields the restore reads have the types it expects (the file may be hand-edited)."""
    migrations = manifest["migrations"]
    return (
        isinstance(manifest["dump_sha256"], str)
        and _count(manifest["dump_bytes"])
        and all(isinstance(manifest[k], str) for k in ("softtissue_version", "created_at"))
        and _entries(manifest["tables"], {"rows": int, "sha256": str})
        and _entries(manifest["chains"], {"links": int, "head": str})
        and isinstance(migrations, list)
        and all(
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
            for item in migrations
        )
        and (
            manifest["format_version"] == 1
            or (
                _entries(manifest["files"], {"sha256": str, "bytes": int})
                and isinstance(manifest["rows_left_out"], list)
                and all(isinstance(table, str) for table in manifest["rows_left_out"])
                and isinstance(manifest["key_id"], str)
                and isinstance(manifest["manifest_hmac"], str)
            )
        )
    )


@contextlib.contextmanager
def opened_archive(
    path: Path, passphrase: str | None = None
) -> Iterator[tuple[tarfile.TarFile, dict[str, Any]]]:
    """The archive, read as a stream, and its manifest; anything unreadable is a BackupError."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    with contextlib.ExitStack() as stack:
        if is_encrypted(path):
            if passphrase is None:
                raise BackupError(f"{path.name} is encrypted: give its passphrase")
            raw: IO[bytes] = io.BytesIO(decrypt(path.read_bytes(), passphrase, path.name))
        else:
            raw = stack.enter_context(path.open("rb"))
        try:
            unzipped = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
            bounded = _Bounded(unzipped, MAX_MANIFEST_BYTES + MEMBER_OVERHEAD)
            stream = io.BufferedReader(bounded, CHUNK)
            archive = stack.enter_context(tarfile.open(fileobj=stream, mode="r|"))
            manifest = read_manifest(archive, path.name)
            sizes = [manifest["dump_bytes"], *(f["bytes"] for f in manifest["files"].values())]
            bounded.limit = bounded.consumed + sum(sizes) + MEMBER_OVERHEAD * (len(sizes) + 2)
            yield archive, manifest
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise BackupError(f"{path.name} is damaged or truncated ({error})") from None


def _needing_room(needs: dict[Path, int]) -> None:
    """Refuse before writing when a filesystem lacks room for what is to go there."""
    devices: dict[int, tuple[Path, int]] = {}
    for directory, size in needs.items():
        device = os.stat(directory).st_dev
        first, total = devices.get(device, (directory, 0))
        devices[device] = (first, total + size)
    for directory, size in devices.values():
        free = shutil.disk_usage(directory).free
        if size + RESERVE_BYTES > free:
            raise BackupError(
                f"there is not enough free space in {directory} for the restore: it needs "
                f"{_mb(size + RESERVE_BYTES)} and {_mb(free)} are free"
            )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def extract_members(
    archive: tarfile.TarFile,
    manifest: dict[str, Any],
    name: str,
    dump_target: Path,
    media_target: Path,
) -> None:
    """Write the dump and every file where they go, each checked before and while it is written."""
    expected: dict[str, tuple[int, str, Path]] = {
        manifest["dump"]: (manifest["dump_bytes"], manifest["dump_sha256"], dump_target)
    }
    for file, entry in manifest["files"].items():
        expected[MEDIA_PREFIX + file] = (entry["bytes"], entry["sha256"], media_target / file)
    media_bytes = sum(entry["bytes"] for entry in manifest["files"].values())
    _needing_room({dump_target.parent: manifest["dump_bytes"], media_target: media_bytes})
    seen: set[str] = set()
    while (member := archive.next()) is not None:
        if member.name not in expected or member.name in seen:
            raise BackupError(f"{name} holds {member.name}, which the manifest does not list")
        seen.add(member.name)
        size, sha256, target = expected[member.name]
        source = archive.extractfile(member) if member.isfile() else None
        if source is None:
            raise BackupError(f"{name}: {member.name} is not a regular file")
        if member.size != size:
            raise BackupError(
                f"{name}: {member.name} is {member.size} bytes in the archive; "
                f"the manifest says {size}"
            )
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            written = _copy(source, target)
        except OSError as error:
            raise BackupError(f"{member.name} could not be written ({error.strerror})") from None
        if written != sha256:
            what = "the database dump" if member.name == manifest["dump"] else member.name
            raise BackupError(
                f"{name}: {what}: its sha256 does not match the manifest "
                "(the file was altered or damaged)"
            )
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{name} lacks {', '.join(missing[:3])}, which the manifest lists")


def _copy(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        while block := source.read(CHUNK):
            digest.update(block)
            handle.write(block)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()

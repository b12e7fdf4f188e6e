"""What makes a backup safe to hold and restore: the manifest's key, encryption, in-use checks.

The key that signs manifests (an HMAC) lives in the data directory and never in an archive or the
database, so an archive edited elsewhere cannot be given a manifest this installation accepts.
Archives that leave the machine can be encrypted with a passphrase in the age format (pyrage),
which the standard `age` tool also opens. `softtissue serve` holds a shared lock on a file in the
data directory for as long as any of its processes lives; a restore takes it exclusively, and
also refuses while another program has the SQLite file open or, on PostgreSQL, is connected.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

# pyrage ships no type information.
from pyrage import DecryptError, passphrase  # type: ignore[import-untyped]

KEY_NAME = "backup_key"
LOCK_NAME = "in-use.lock"
PASSPHRASE_VARIABLE = "SOFTTISSUE_BACKUP_PASSPHRASE"  # noqa: S105 (a variable's name)
MIN_PASSPHRASE = 12
AGE_MAGIC = b"age-encryption.org/v1\n"
SKIP_KEY_FLAG = "--skip-key-check"


class BackupError(Exception):
    """The backup cannot be made, or the archive cannot be restored: the message says why."""


def key_path() -> Path:
    """Where this installation keeps the key that signs its backups' manifests."""
    return Path(settings.DATA_DIR) / KEY_NAME


def backup_key(create: bool) -> bytes | None:
    """The 32-byte manifest key; made on first use when CREATE, else None when there is none."""
    path = key_path()
    if not path.exists():
        if not create:
            return None
        with contextlib.suppress(FileExistsError):
            # Owner-only from the first byte; O_EXCL so two backups at once keep one key.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError(
            f"{path} is not a backup key (64 hexadecimal digits): put back your copy of it"
        )
    return key


def key_id(key: bytes) -> str:
    """A short name for a key that tells nothing about it: which installation made an archive."""
    return hashlib.sha256(key).hexdigest()[:16]


def manifest_hmac(manifest: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 over the manifest's canonical JSON, every field but the HMAC itself."""
    body = {k: v for k, v in manifest.items() if k != "manifest_hmac"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def sign_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with this installation's key id and HMAC (the key is made if need be)."""
    key = backup_key(create=True)
    assert key is not None
    signed = {**manifest, "key_id": key_id(key)}
    signed["manifest_hmac"] = manifest_hmac(signed, key)
    return signed


def check_manifest_key(manifest: dict[str, Any], name: str) -> None:
    """Refuse a manifest this installation's key did not sign: it may have been forged."""
    without = (
        f"copy backup_key from the data directory of the installation that made the backup "
        f"(chmod 600), or restore with {SKIP_KEY_FLAG}, which detects damage but not forgery"
    )
    if "manifest_hmac" not in manifest:
        raise BackupError(
            f"{name} was made before backups were keyed (format 1): restore it with "
            f"{SKIP_KEY_FLAG}, which detects damage but not forgery"
        )
    key = backup_key(create=False)
    if key is None:
        raise BackupError(
            f"this data directory has no {KEY_NAME}, so the archive's origin cannot be checked: "
            + without
        )
    if manifest["key_id"] != key_id(key):
        raise BackupError(
            f"{name} was keyed by another installation (key {manifest['key_id']}; this data "
            f"directory's is {key_id(key)}): " + without
        )
    if not hmac.compare_digest(str(manifest["manifest_hmac"]), manifest_hmac(manifest, key)):
        raise BackupError(
            f"{name}: the manifest's HMAC does not match this installation's backup key: the "
            "archive was altered after the backup was made"
        )


def is_encrypted(path: Path) -> bool:
    """True for an age-encrypted archive (what `backup --encrypt` writes)."""
    with contextlib.suppress(OSError), path.open("rb") as handle:
        return handle.read(len(AGE_MAGIC)) == AGE_MAGIC
    return False


def encrypt(data: bytes, secret: str) -> bytes:
    """The age encryption of DATA under a passphrase (scrypt, ChaCha20-Poly1305)."""
    return bytes(passphrase.encrypt(data, secret))


def decrypt(data: bytes, secret: str, name: str) -> bytes:
    """The plain archive; a wrong passphrase or a damaged file is a BackupError."""
    try:
        return bytes(passphrase.decrypt(data, secret))
    except DecryptError:
        raise BackupError(
            f"{name} cannot be decrypted with this passphrase (or the file is damaged)"
        ) from None


def read_passphrase(confirm: bool) -> str:
    """The passphrase from SOFTTISSUE_BACKUP_PASSPHRASE, else asked for at the terminal."""
    # Never a command-line argument: every user of the machine can read those in `ps`.
    secret = os.environ.get(PASSPHRASE_VARIABLE, "")
    if not secret:
        if not sys.stdin.isatty():
            raise BackupError(
                f"the archive is encrypted with a passphrase: set {PASSPHRASE_VARIABLE} "
                "or run it in a terminal to be asked"
                if not confirm
                else f"--encrypt needs a passphrase: set {PASSPHRASE_VARIABLE} or run it in a "
                "terminal to be asked"
            )
        secret = getpass.getpass("Backup passphrase: ")
        if confirm and getpass.getpass("The same passphrase again: ") != secret:
            raise BackupError("the two passphrases differ: nothing was written")
    if confirm and len(secret) < MIN_PASSPHRASE:
        raise BackupError(
            f"the passphrase must have at least {MIN_PASSPHRASE} characters "
            "(three or four random words are easy to type and hard to guess)"
        )
    return secret


def _lock_file() -> int:
    return os.open(Path(settings.DATA_DIR) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def restoring() -> Iterator[None]:
    """Hold the data directory for a restore; refuse while `softtissue serve` runs on it."""
    descriptor = _lock_file()
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                "softtissue serve is running on this data directory (or another restore is): "
                "stop it first, or its later writes would go to the replaced database and be lost"
            ) from None
        yield
    finally:
        # Closing releases the lock; so does the kernel if this process dies.
        os.close(descriptor)


def hold_for_serving() -> int:
    """A shared lock that every server process inherits; a restore cannot start while held."""
    descriptor = _lock_file()
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise BackupError(
            "a restore is running on this data directory: wait for it to finish, then start "
            "the server"
        ) from None
    # Kept open across exec into gunicorn and fork into its workers: the lock lives as long
    # as any of them, and the kernel drops it when the last one ends, even after a crash.
    os.set_inheritable(descriptor, True)
    return descriptor


def refuse_if_open(database: Path) -> None:
    """Refuse while another process has the SQLite file open (a server, a shell, an import)."""
    if not database.exists():
        return
    connections.close_all()
    try:
        # In WAL mode every open connection keeps a shared lock on the file, even when idle.
        with contextlib.closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as db:
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise BackupError(
                f"another program has the database open ({database}): close it (a server not "
                "started by softtissue serve, a shell, an import), then restore"
            ) from None
    except sqlite3.DatabaseError:
        pass  # the old file is damaged: the restore is what replaces it


def refuse_if_connected(alias: str) -> None:
    """Refuse while any other session is connected to the PostgreSQL database."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        others = cursor.fetchone()[0]
    connection.close()
    if others:
        raise BackupError(
            f"{others} other connection(s) to the PostgreSQL database are open (a server, a "
            "shell): close them, then restore"
        )

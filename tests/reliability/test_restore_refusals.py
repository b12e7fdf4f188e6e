"""Restore refuses, with exit code 2 and nothing changed, before it writes what it cannot trust.

Issue 22, item 6: a dump member of any size was written out before it was checked; a deeply
nested manifest and a dump that is not a database answered with a traceback; and a restore
went ahead while `softtissue serve` was running, whose later writes were then lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.reliability.archives import (
    REPO,
    Target,
    make_target,
    pack,
    read_members,
    seeded_template,
    sign,
)
from tests.shell.test_cli import free_port

pytestmark = pytest.mark.django_db(transaction=True)


# Another program with the database open and idle, as a shell or a second server would be.
HOLD_OPEN = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("SELECT count(*) FROM clients_client").fetchone()
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return seeded_template(tmp_path_factory)


@pytest.fixture
def target(tmp_path: Path, template: Path | None) -> Iterator[Target]:
    yield from make_target(tmp_path, template)


def refused(target: Target, archive: Path, *args: str) -> str:
    """Restore ARCHIVE, expect the documented refusal, and return what it said."""
    before = target.clients()
    result = target.softtissue("restore", "--yes", *args, str(archive))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Nothing was changed" in result.stderr
    assert target.clients() == before
    assert target.leftovers() == []
    return result.stderr


def test_it_refuses_a_dump_larger_than_the_manifest_says(target: Target, tmp_path: Path) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    dump = manifest["dump"]
    # Zeros compress to almost nothing: a small archive that would write a large file.
    members[dump] += bytes(8 * 1024 * 1024)
    bomb = pack(tmp_path / "bomb.tar.gz", manifest, members)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    message = refused(target, bomb)
    assert f"{dump} is {len(members[dump])} bytes in the archive" in message
    assert f"the manifest says {manifest['dump_bytes']}" in message


def test_it_refuses_when_the_disk_has_no_room_for_the_dump(target: Target, tmp_path: Path) -> None:
    manifest, _ = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    huge = 2**50  # 1 PiB: no test machine has that much free
    manifest["dump_bytes"] = huge
    body = json.dumps(sign(manifest, target.data_dir / "backup_key")).encode()
    # A tar header that claims the size, with hardly any data behind it.
    raw = io.BytesIO()
    head = tarfile.TarInfo("manifest.json")
    head.size = len(body)
    raw.write(head.tobuf(format=tarfile.PAX_FORMAT))
    raw.write(body + bytes(-len(body) % 512))
    dump = tarfile.TarInfo(manifest["dump"])
    dump.size = huge
    raw.write(dump.tobuf(format=tarfile.PAX_FORMAT))
    raw.write(bytes(4096))
    archive = tmp_path / "huge.tar.gz"
    archive.write_bytes(gzip.compress(raw.getvalue()))
    message = refused(target, archive)
    assert "not enough free space" in message


def test_it_refuses_a_deeply_nested_manifest(target: Target, tmp_path: Path) -> None:
    nested = b'{"format_version": 2, "tables": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    archive = pack(tmp_path / "nested.tar.gz", nested, {})
    message = refused(target, archive)
    assert "manifest.json is nested too deeply" in message


def test_it_refuses_an_oversized_manifest(target: Target, tmp_path: Path) -> None:
    padded = b'{"format_version": 2, "pad": "' + b" " * (70 * 1024 * 1024) + b'"}'
    archive = pack(tmp_path / "padded.tar.gz", padded, {})
    message = refused(target, archive)
    assert "manifest.json is larger than" in message


def test_it_refuses_a_dump_that_is_not_a_database(target: Target, tmp_path: Path) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    junk = b"this is not a database dump " * 400
    members[manifest["dump"]] = junk
    manifest.update(dump_sha256=hashlib.sha256(junk).hexdigest(), dump_bytes=len(junk))
    # Made by someone holding the key (or restored with --skip-key-check): damage, not forgery.
    archive = pack(
        tmp_path / "junk.tar.gz", sign(manifest, target.data_dir / "backup_key"), members
    )
    message = refused(target, archive)
    if connection.vendor == "sqlite":
        assert "the dump in junk.tar.gz is not a SQLite database" in message
    else:
        assert "pg_restore failed" in message


def test_it_refuses_an_archive_with_more_members_than_the_manifest(
    target: Target, tmp_path: Path
) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    members.update({f"media/extra/{n}.pdf": b"" for n in range(50)})
    archive = pack(tmp_path / "extra.tar.gz", manifest, members)
    message = refused(target, archive)
    assert "media/extra/0.pdf, which the manifest does not list" in message


@contextlib.contextmanager
def serving(target: Target) -> Iterator[subprocess.Popen[bytes]]:
    """A real `softtissue serve` on the target, answering on a free port."""
    port = free_port()
    log_path = target.data_dir.parent / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "softtissue", "serve", "--port", str(port), "--workers", "1"],
            env=target.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"serve did not answer: {log_path.read_text()[-3000:]}")
                time.sleep(0.3)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_it_refuses_while_serve_is_running_and_not_after_it_crashed(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    with serving(target) as server:
        message = refused(target, archive)
        assert "softtissue serve is running on this data directory" in message
        # A crash (SIGKILL, no clean-up) must not leave the restore blocked for ever.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        deadline = time.monotonic() + 30
        while True:
            result = target.softtissue("restore", "--yes", str(archive))
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # gunicorn's worker notices its master is gone within a second
    assert result.returncode == 0, result.stderr


def test_it_makes_serve_wait_for_a_running_restore(target: Target) -> None:
    lock = target.data_dir / "in-use.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running restore holds
        result = target.softtissue("serve", "--port", str(free_port()))
    assert result.returncode == 2
    assert "a restore is running on this data directory" in result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an open SQLite file is SQLite's")
def test_it_refuses_while_another_program_has_the_database_open(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    assert target.sqlite_file is not None
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(target.sqlite_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        message = refused(target, archive)
        assert "another program has the database open" in message
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with contextlib.closing(sqlite3.connect(target.sqlite_file)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

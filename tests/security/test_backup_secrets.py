"""A backup carries no live session, and one that leaves the machine can be encrypted.

Issue 22, item 5: a session key taken from an archive logged in as its user with no password
and no second factor.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.reliability.archives import (
    REPO,
    Target,
    make_target,
    read_members,
    seeded_template,
)

pytestmark = pytest.mark.django_db(transaction=True)

# A logged-in owner, as the session table holds it while the server runs.
LOG_IN = """
from django.test import Client as WebClient
from softtissue.accounts.models import User
web = WebClient(SERVER_NAME="localhost")
web.force_login(User.objects.get(email="olive@example.org"))
print(web.cookies["sessionid"].value)
"""

# What that session's cookie opens, through the real pages.
VISIT = """
import sys
from django.contrib.sessions.models import Session
from django.test import Client as WebClient
web = WebClient(SERVER_NAME="localhost")
web.cookies["sessionid"] = sys.argv[1]
print(web.get("/").status_code, Session.objects.count())
"""

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return seeded_template(tmp_path_factory)


@pytest.fixture
def target(tmp_path: Path, template: Path | None) -> Iterator[Target]:
    yield from make_target(tmp_path, template)


def visit(target: Target, key: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + VISIT, key],
        env=target.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_it_leaves_live_sessions_out_of_the_archive(target: Target, tmp_path: Path) -> None:
    key = target.python(LOG_IN).stdout.strip()
    assert visit(target, key) == ["200", "1"]
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    assert manifest["tables"]["django_session"]["rows"] == 0
    assert manifest["rows_left_out"] == ["django_session"]
    dump = members[manifest["dump"]]
    if connection.vendor == "sqlite":
        # Not even in the dump's free pages.
        assert key.encode() not in dump
    target.wipe()
    result = target.softtissue("restore", str(tmp_path / "clinic.tar.gz"))
    assert result.returncode == 0, result.stderr
    # The key from the archive (or from the old machine) logs nobody in after the restore.
    assert visit(target, key) == ["302", "0"]


def test_it_encrypts_with_a_passphrase_from_the_environment(target: Target, tmp_path: Path) -> None:
    secret = {"SOFTTISSUE_BACKUP_PASSPHRASE": PASSPHRASE}
    archive = target.backup(tmp_path / "clinic.tar.gz.age", "--encrypt", env=secret)
    body = archive.read_bytes()
    assert body.startswith(b"age-encryption.org/v1\n")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert b"manifest.json" not in body and b"SQLite format 3" not in body
    target.wipe()
    result = target.softtissue("restore", str(archive), env=secret)
    assert result.returncode == 0, result.stderr
    assert "Restored the backup" in result.stdout


def test_it_refuses_a_wrong_passphrase_and_changes_nothing(target: Target, tmp_path: Path) -> None:
    archive = target.backup(
        tmp_path / "clinic.tar.gz.age",
        "--encrypt",
        env={"SOFTTISSUE_BACKUP_PASSPHRASE": PASSPHRASE},
    )
    result = target.softtissue(
        "restore", "--yes", str(archive), env={"SOFTTISSUE_BACKUP_PASSPHRASE": "not the one, no"}
    )
    assert result.returncode == 2
    assert "cannot be decrypted with this passphrase" in result.stderr
    assert "Nothing was changed" in result.stderr


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_it_asks_for_the_passphrase_where_no_terminal_can_prompt(
    target: Target, tmp_path: Path, command: str
) -> None:
    archive = tmp_path / "clinic.tar.gz.age"
    if command == "restore":
        target.backup(archive, "--encrypt", env={"SOFTTISSUE_BACKUP_PASSPHRASE": PASSPHRASE})
        args = [str(archive)]
    else:
        args = [str(archive), "--encrypt"]
    result = target.softtissue(command, *args)
    assert result.returncode == 2
    assert "set SOFTTISSUE_BACKUP_PASSPHRASE or run it in a terminal" in result.stderr


def test_it_refuses_a_short_passphrase(target: Target, tmp_path: Path) -> None:
    archive = tmp_path / "clinic.tar.gz.age"
    result = target.softtissue(
        "backup", str(archive), "--encrypt", env={"SOFTTISSUE_BACKUP_PASSPHRASE": "short"}
    )
    assert result.returncode == 2
    assert "at least 12 characters" in result.stderr
    assert not archive.exists()


def test_it_takes_no_passphrase_on_the_command_line(target: Target, tmp_path: Path) -> None:
    # A command line is visible to every user of the machine in `ps`.
    help_text = (
        target.softtissue("backup", "--help").stdout + target.softtissue("restore", "--help").stdout
    )
    assert "--passphrase" not in help_text
    assert "SOFTTISSUE_BACKUP_PASSPHRASE" in help_text
    result = target.softtissue("backup", str(tmp_path / "x.age"), "--passphrase", PASSPHRASE)
    assert result.returncode != 0
    assert not (tmp_path / "x.age").exists()

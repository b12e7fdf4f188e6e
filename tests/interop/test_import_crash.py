"""An import killed while it writes leaves none of the file's clients (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client, ClientSearchTerm
from tests.interop.import_helpers import write_many

ROWS = 20_000
WRITING = re.compile(r"^Writing clients: ([1-9]\d*)/\d+$", re.MULTILINE)


def softtissue(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI to completion."""
    return subprocess.run(
        [sys.executable, "-m", "softtissue", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def kill_while_writing(env: dict[str, str], path: Path, clinic_id: int, log: Path) -> str:
    """Start the import, SIGKILL it once it reports written rows, and return what it printed."""
    # The output goes to a file, never to a pipe nobody reads: a full pipe would block it.
    command = [sys.executable, "-m", "softtissue", "import", "clients", str(path)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--clinic", str(clinic_id)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 300
    try:
        while not WRITING.search(log.read_text()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the import never reported writing: {log.read_text()[-2000:]}")
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)
    output = log.read_text()
    assert process.returncode == -signal.SIGKILL, output
    assert "Imported" not in output  # it really was stopped half way
    return output


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(tmp_path / "data")}
    env.pop("SOFTTISSUE_DATABASE_URL", None)
    return env


@pytest.mark.django_db(transaction=True)
def test_it_leaves_nothing_when_killed_mid_write(tmp_path: Path) -> None:
    path = write_many(tmp_path / "many.csv", ROWS)
    env = base_env(tmp_path)
    if connection.vendor == "postgresql":
        # The subprocess writes to pytest's own test database; transaction=True commits the clinic
        # so the subprocess can see it.
        settings = connection.settings_dict
        host = f"?host={settings['HOST']}" if settings["HOST"] else ""
        env["SOFTTISSUE_DATABASE_URL"] = f"postgres:///{settings['NAME']}{host}"
        clinic = Clinic.objects.create(name="Crash test clinic")
        kill_while_writing(env, path, clinic.pk, tmp_path / "import.log")
        assert not Client.objects.filter(clinic=clinic).exists()
        assert not ClientSearchTerm.objects.filter(clinic=clinic).exists()
        return
    # pytest's SQLite test database lives in memory, out of a subprocess's reach: use a file.
    database = tmp_path / "crash.sqlite3"
    env["SOFTTISSUE_DATABASE_URL"] = f"sqlite:///{database}"
    softtissue(env, "migrate", "--verbosity", "0")
    softtissue(
        env,
        "shell",
        "-c",
        "from softtissue.accounts.models import Clinic; Clinic.objects.create(name='Crash')",
    )
    kill_while_writing(env, path, 1, tmp_path / "import.log")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM clients_client").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM clients_clientsearchterm").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM accounts_clinic").fetchone() == (1,)

"""A large import keeps SQLite's write lock only while it inserts, not while it checks and
prepares the rows, so page views and API calls (which write their audit events) go on
(issue 22.10; the measurements are in docs/import.md)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.interop.import_helpers import write_many
from tests.interop.test_import_crash import base_env, softtissue

ROWS = 20_000
STAGE = re.compile(r"^(Checking rows|Preparing clients): (\d+)/(\d+)$", re.MULTILINE)


def can_write_at_once(database: Path) -> bool:
    """True when another connection gets the write lock without waiting at all."""
    db = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error), error
        return False
    finally:
        db.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL locks rows, not the file")
def test_it_leaves_the_database_writable_while_it_checks_and_prepares(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    database = tmp_path / "lock.sqlite3"
    env["SOFTTISSUE_DATABASE_URL"] = f"sqlite:///{database}"
    softtissue(env, "migrate", "--verbosity", "0")
    softtissue(
        env,
        "shell",
        "-c",
        "from softtissue.accounts.models import Clinic; Clinic.objects.create(name='Lock')",
    )
    path = write_many(tmp_path / "many.csv", ROWS)
    log = tmp_path / "import.log"
    tried: dict[str, list[bool]] = {"Checking rows": [], "Preparing clients": []}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "softtissue", "import", "clients", str(path)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 300
    try:
        while process.poll() is None and time.monotonic() < deadline:
            stages = STAGE.findall(log.read_text())
            if stages:
                stage, done, total = stages[-1]
                if 0 < int(done) < int(total):  # in the middle of the stage, not at its edge
                    tried[stage].append(can_write_at_once(database))
            time.sleep(0.01)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)
    output = log.read_text()
    assert process.returncode == 0, output[-2000:]
    assert f"Imported {ROWS} clients" in output
    for stage, results in tried.items():
        assert results, f"never saw the import in the middle of {stage!r}: {output[-1000:]}"
        assert all(results), f"the write lock was held while {stage!r}: {results}"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM clients_client").fetchone() == (ROWS,)
        assert db.execute(
            "SELECT COUNT(DISTINCT client_id) FROM clients_clientsearchterm"
        ).fetchone() == (ROWS,)

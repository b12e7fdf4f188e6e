"""The import command's exit codes as a shell sees them: 2 for a command used wrongly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop.import_helpers import DATA


def softtissue(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(tmp_path)}
    env["SOFTTISSUE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "softtissue", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["import", "clients", "nowhere.csv"], "nowhere.csv is not a file"),
        (["import", "clients", str(DATA / "clients.csv"), "--format", "excel"], "invalid choice"),
        (["import", "patients", str(DATA / "clients.csv")], "invalid choice"),
        (["import", "clients"], "the following arguments are required: file"),
    ],
)
def test_it_exits_2_when_used_wrongly(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = softtissue(tmp_path, *arguments)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr

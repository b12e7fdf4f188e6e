"""The `softtissue` command: help, and one-line errors with exit code 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOFTTISSUE_DATA_DIR": str(tmp_path)}
    environment.pop("SOFTTISSUE_DATABASE_URL", None)  # each test picks its own database
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "softtissue", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_it_lists_its_commands(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    assert "serve" in result.stdout


def test_it_refuses_a_bad_environment_value_in_one_line(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path, SOFTTISSUE_DEBUG="perhaps")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "softtissue: configuration error: SOFTTISSUE_DEBUG='perhaps' is not a yes/no value: "
        "use true or false"
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_refuses_an_unreachable_database(tmp_path: Path) -> None:
    result = run(
        ["serve", "--port", str(free_port())],
        tmp_path,
        SOFTTISSUE_DATABASE_URL="postgres://nobody@127.0.0.1:1/softtissue",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "check SOFTTISSUE_DATABASE_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["serve", "--port", str(port)], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"CommandError: port {port} on 127.0.0.1 is in use: stop the other program or choose --port"
    )

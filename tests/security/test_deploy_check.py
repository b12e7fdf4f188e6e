"""`softtissue check --deploy` passes with the production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

# The browser tests set this for Playwright in the test process; a deployment never has it.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_environment(data_dir: Path, https: bool) -> dict[str, str]:
    """The server's environment: the test run's without test-only variables, in production."""
    return {
        **{key: value for key, value in os.environ.items() if key not in TEST_ONLY},
        "SOFTTISSUE_DATA_DIR": str(data_dir),
        "SOFTTISSUE_DEBUG": "0",
        "SOFTTISSUE_HTTPS": "1" if https else "0",
        "SOFTTISSUE_ALLOWED_HOSTS": "clinic.example",
        "SOFTTISSUE_SECRET_KEY": secrets.token_urlsafe(50),
    }


def test_it_passes_the_deploy_check_in_production(tmp_path: Path) -> None:
    env = production_environment(tmp_path, https=True)
    result = subprocess.run(
        [sys.executable, "-m", "softtissue", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_fails_the_deploy_check_without_https(tmp_path: Path) -> None:
    env = production_environment(tmp_path, https=False)
    result = subprocess.run(
        [sys.executable, "-m", "softtissue", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    # The check is a real test: plain HTTP in production is reported (HSTS, secure cookies).
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr

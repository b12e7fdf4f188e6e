"""A client link's path is its secret: logs name the route, never the path."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client as WebClient

from softtissue.clients import intake
from tests.shell.test_cli import free_port

SECRET = "Zq7sEcReT-token-that-must-not-be-logged"
LINKS = {
    "intake_form": f"/intake/{SECRET}/",
    "fill_questionnaire": f"/questionnaire/{SECRET}/",
    "follow_programme": f"/exercises/{SECRET}/",
}


@pytest.fixture(scope="module")
def served_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """What a real `softtissue serve` writes while the client links are opened and posted to."""
    data_dir = tmp_path_factory.mktemp("access-log")
    port = free_port()
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(data_dir)}
    env.pop("SOFTTISSUE_DATABASE_URL", None)
    log_path = data_dir / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "softtissue", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, process, log_path)
        for path in LINKS.values():
            fetch(f"{url}{path}")
            fetch(f"{url}{path}?page=2")
        # A POST without a CSRF cookie: Django's CSRF refusal is logged with the request's path.
        fetch(f"{url}{LINKS['intake_form']}", data=b"signed_name=x")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    yield log_path.read_text()


def wait_for(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=10)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"serve did not answer within 60 s: {log_path.read_text()[-3000:]}")
            time.sleep(0.3)


def fetch(url: str, data: bytes | None = None) -> int:
    try:
        return int(urllib.request.urlopen(url, data=data, timeout=30).status)
    except urllib.error.HTTPError as error:
        return error.code


def test_it_keeps_the_token_out_of_the_servers_log(served_log: str) -> None:
    assert SECRET not in served_log
    assert "/intake/" not in served_log and "/exercises/" not in served_log


@pytest.mark.parametrize("route", sorted(LINKS))
def test_it_logs_each_client_link_by_its_route(served_log: str, route: str) -> None:
    assert f'"GET {route}" 404' in served_log


def test_it_still_logs_ordinary_pages(served_log: str) -> None:
    assert '"GET login" 200' in served_log
    assert '"POST intake_form" 403' in served_log


@pytest.fixture
def django_log() -> Iterator[io.StringIO]:
    """What the configured console handler writes, caught for one test."""
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    caught = io.StringIO()
    previous = handler.setStream(caught)
    try:
        yield caught
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]


def test_it_logs_a_csrf_refusal_on_a_link_by_its_route(db: None, django_log: io.StringIO) -> None:
    response = WebClient(enforce_csrf_checks=True).post(LINKS["intake_form"], {"signed_name": "x"})
    assert response.status_code == 403
    assert "intake_form" in django_log.getvalue()
    assert SECRET not in django_log.getvalue()


def test_it_logs_a_server_error_on_a_link_by_its_route(
    db: None, django_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(token: str) -> str:
        raise RuntimeError(token)

    monkeypatch.setattr(intake, "token_hash", broken)
    response = WebClient(raise_request_exception=False).get(LINKS["intake_form"])
    assert response.status_code == 500
    text = django_log.getvalue()
    assert "Internal Server Error: intake_form" in text
    assert SECRET not in text

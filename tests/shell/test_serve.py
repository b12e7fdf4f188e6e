"""`softtissue serve --demo` really serves: the login page answers and the demo logins work."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.shell.test_cli import free_port

DEMO_LOGINS = [
    "owner@riverside.example",
    "l3@riverside.example",
    "l5@riverside.example",
    "reception@riverside.example",
    "therapist@northgate.example",
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    """A real `softtissue serve --demo` on a free port, with its own data directory."""
    port = free_port()
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(data_dir)}
    # Serve the demo into its own SQLite file: the suite's PostgreSQL database is pytest's.
    env.pop("SOFTTISSUE_DATABASE_URL", None)
    log_path = data_dir / "serve.log"
    # The server writes to a file, never to a pipe nobody reads: a full pipe would block it.
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "softtissue",
                "serve",
                "--demo",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=10)
                break
            # A worker still starting up refuses the connection or answers slowly.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or process.poll() is not None:
                    output = log_path.read_text()[-3000:]
                    pytest.fail(f"serve did not answer within 60 s: {output}")
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_it_redirects_a_visitor_to_the_login_page(server: str) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{server}/", timeout=30)
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"] == "/login/?next=/"


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_it_lets_every_demo_login_in(server: str, email: str) -> None:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{server}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": email, "password": "softtissue-demo"}
    ).encode()
    dashboard = opener.open(f"{server}/login/", data=body, timeout=30)
    assert dashboard.url == f"{server}/"
    assert "Welcome" in dashboard.read().decode()


def test_it_gathers_sqlite_planner_statistics_on_start(server: str, data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "softtissue.sqlite3") as database:
        rows = database.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'clients_client'")
        assert rows.fetchone()[0] > 0

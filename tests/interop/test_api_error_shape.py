"""Every answer under /api/ is JSON in the one error shape, outside the operations too."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client as WebClient
from django.test import RequestFactory

from softtissue.accounts.models import User
from softtissue.clients import api as clients_api
from softtissue.interop.api_common import ErrorShapeMiddleware
from tests.interop.api_helpers import assert_error, send
from tests.shell.test_cli import free_port

UNKNOWN_PATHS = [
    "/api/v1/nope",
    "/api/v1/clients/1/nope",
    "/api/v1/clients/",
    "/api/v1",
    "/api/v1/",
    "/api/",
    "/api/v2/clients",
]


@pytest.mark.parametrize("path", UNKNOWN_PATHS)
def test_it_answers_an_unknown_path_with_a_json_404(web: WebClient, alice: User, path: str) -> None:
    web.force_login(alice)
    body = assert_error(web.get(path), 404)
    assert "/api/v1/docs" in body["detail"]
    assert_error(send(web, "POST", path, {"first_name": "Ann"}), 404)


def test_it_answers_an_unknown_path_with_a_json_404_to_a_visitor(web: WebClient, db: None) -> None:
    assert_error(web.get("/api/v1/nope"), 404)


def test_it_keeps_the_page_not_found_for_pages(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/clients", "GET, POST"),
        ("PUT", "/api/v1/clients/1", "GET, PATCH"),
        ("OPTIONS", "/api/v1/clients", "GET, POST"),
        ("POST", "/api/v1/clients/1", "GET, PATCH"),
        ("GET", "/api/v1/notes/1/sign", "POST"),
    ],
)
def test_it_answers_a_wrong_method_with_a_json_405_and_allow(
    web: WebClient, alice: User, method: str, path: str, allowed: str
) -> None:
    web.force_login(alice)
    response = send(web, method, path, {})
    body = assert_error(response, 405)
    assert response["Allow"] == allowed
    assert method in body["detail"]
    assert allowed.replace(", ", " or ") in body["detail"]


def test_it_answers_a_wrong_host_with_a_json_400(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert_error(web.get("/api/v1/clients", HTTP_HOST="elsewhere.example"), 400)


def test_it_answers_a_server_error_with_json_and_no_detail_of_it(
    web: WebClient, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("Priya Shah, asthma")

    monkeypatch.setattr(clients_api, "matching", fail)
    web.raise_request_exception = False
    web.force_login(alice)
    response = web.get("/api/v1/clients")
    body = assert_error(response, 500)
    assert "Priya" not in body["detail"]
    assert b"asthma" not in response.content


def plain(status: int, **headers: str) -> Any:
    def answer(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(b"<h1>Nope</h1>", status=status, content_type="text/html")
        for name, value in headers.items():
            response[name] = value
        return response

    return answer


@pytest.mark.parametrize("status", [400, 403, 404, 405, 413, 414, 429, 500, 503])
def test_it_turns_any_other_error_under_the_api_into_the_shape(status: int) -> None:
    middleware = ErrorShapeMiddleware(plain(status, Allow="GET", **{"Retry-After": "5"}))
    response = middleware(RequestFactory().get("/api/v1/clients"))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"} and body["detail"] and body["errors"] == []
    assert response["Retry-After"] == "5"


def test_it_leaves_pages_and_json_answers_alone() -> None:
    page = ErrorShapeMiddleware(plain(404))(RequestFactory().get("/clients/9/"))
    assert page.content == b"<h1>Nope</h1>"
    shaped = HttpResponse(b'{"detail": "x", "errors": []}', status=409)
    shaped["Content-Type"] = "application/json"
    answer = ErrorShapeMiddleware(lambda request: shaped)(RequestFactory().get("/api/v1/x"))
    assert answer is shaped


# A real `softtissue serve`: gunicorn refuses an over-long request line or oversized headers
# before Django sees the request, so only a real server shows what it answers.


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data_dir = tmp_path_factory.mktemp("serve-errors")
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
    try:
        deadline = time.monotonic() + 60
        while raw_request("127.0.0.1", port, get("/login/"))[0] != 200:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"serve did not answer within 60 s: {log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        check_log(log_path)


def check_log(log_path: Path) -> None:
    """What the server logged of the refused requests: never the URL's content."""
    assert "QUERYTEXT" not in log_path.read_text()


def raw_request(host: str, port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes, read the whole answer: (status, headers, body); status 0 if none came."""
    try:
        with socket.create_connection((host, port), timeout=10) as connection:
            connection.sendall(request)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and complete(b"".join(chunks)):
                    break
    except OSError:
        return 0, {}, b""
    answer = b"".join(chunks)
    if not answer:
        return 0, {}, b""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    return int(lines[0].split()[1]), headers, body


def complete(answer: bytes) -> bool:
    """True when the body is as long as Content-Length says."""
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(body) >= int(value)
    return False


def get(path: str, extra_headers: str = "") -> bytes:
    """A GET request's bytes, asking the server to close the connection after answering."""
    head = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra_headers}Connection: close\r\n"
    return (head + "\r\n").encode()


@pytest.mark.parametrize("path", ["/api/v1/clients?q=", "/clients/?q="])
def test_it_answers_an_over_long_url_with_a_json_414(server: tuple[str, int], path: str) -> None:
    status, headers, body = raw_request(*server, get(path + "QUERYTEXT" * 600))
    assert status == 414
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    assert set(error) == {"detail", "errors"}
    assert "4094" in error["detail"]
    assert b"QUERYTEXT" not in body


def test_it_lets_a_long_url_under_the_limit_reach_the_api(server: tuple[str, int]) -> None:
    status, _, body = raw_request(*server, get("/api/v1/clients?q=" + "a" * 3900))
    assert status == 401  # Django answered: no session and no token
    assert set(json.loads(body)) == {"detail", "errors"}


def test_it_answers_oversized_headers_with_a_json_431(server: tuple[str, int]) -> None:
    status, headers, body = raw_request(
        *server, get("/api/v1/clients", f"Authorization: Bearer st_{'x' * 9000}\r\n")
    )
    assert status == 431
    assert headers["content-type"] == "application/json"
    assert set(json.loads(body)) == {"detail", "errors"}


def test_it_answers_an_unknown_path_with_json_on_the_real_server(server: tuple[str, int]) -> None:
    status, headers, body = raw_request(*server, get("/api/v1/nope"))
    assert status == 404
    assert headers["content-type"].startswith("application/json")
    assert set(json.loads(body)) == {"detail", "errors"}

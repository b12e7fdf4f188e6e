"""API throughput under gunicorn beside a bare Django JSON view on the same server.

    .venv/bin/python bench/bench_api.py --clients 1000 --engine sqlite [--seconds 10]

Serves bench/wsgi_bench.py (softtissue plus one plain JsonResponse view) with gunicorn, logs in
as a therapist (both endpoints get the same session cookie), then loads `GET
/api/v1/clients/{id}` and the bare view in turns with 16 concurrent connections, using wrk
(`apt-get install wrk`) or, without it, a Python client (slower: it competes for the CPU).
Reports requests per second and the API's share of the bare view's rate (target >= 0.6).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # a sibling script, found through the path set just above

BENCH = Path(__file__).resolve().parent
TARGET_RATIO = 0.6
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def prepare(clients: int, engine: str, seed: int) -> tuple[str, dict[str, Any]]:
    """A session cookie for the generated clinic's therapist, and the paths to load."""
    url = synthetic.ensure_database(clients, engine, seed)
    synthetic.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client as WebClient
    from django.urls import NoReverseMatch, reverse

    from softtissue.accounts.models import User
    from softtissue.clients.models import Client

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS.append("testserver")
    summary = json.loads(synthetic.ready_marker(clients, engine, seed).read_text())
    web = WebClient()
    web.force_login(User.objects.get(email=summary["therapist_email"]))
    cookie = f"{settings.SESSION_COOKIE_NAME}={web.cookies[settings.SESSION_COOKIE_NAME].value}"
    ids = Client.objects.filter(clinic_id=summary["clinic_id"]).order_by("pk")
    client_id = ids.values_list("pk", flat=True)[clients // 2]
    try:
        api_path = reverse("api:get_client", args=[client_id])
    except NoReverseMatch:  # before the clients API existed
        api_path = "/api/v1/measures"
    connections.close_all()
    return cookie, {
        "url": url,
        "api": api_path,
        "bare": f"/bench/bare-client/{client_id}",
    }


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn serving wsgi_bench on the port, with the generated database."""
    env = {**os.environ, "SOFTTISSUE_DATABASE_URL": url}
    env.setdefault("SOFTTISSUE_DATA_DIR", str(synthetic.CACHE_DIR / "data"))
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(BENCH), "wsgi_bench:application"]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(command, env=env)


def get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    """One GET with the session cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port: int, path: str, cookie: str, server: subprocess.Popen[bytes]) -> None:
    """Poll until the server answers 200, or fail with what it said."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            status, body = get(port, path, cookie)
        except OSError:
            time.sleep(0.3)
            continue
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
        return
    raise RuntimeError("gunicorn did not answer within 60 s")


def load_wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> float:
    """Requests per second wrk achieved; fails when any answer was not 2xx."""
    url = f"http://{HOST}:{port}{path}"
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path} gave non-2xx answers under load:\n{output}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not found:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return float(found.group(1))


def load_python(port: int, path: str, cookie: str, seconds: int, connections: int) -> float:
    """Requests per second from `connections` threads with keep-alive connections."""
    done = [0] * connections
    failed: list[int] = []
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failed.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            done[slot] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise RuntimeError(f"{path} answered {failed[0]} under load")
    return sum(done) / (time.monotonic() - started)


def run(
    clients: int, engine: str, seed: int, seconds: int, connections: int, workers: int, rounds: int
) -> dict[str, Any]:
    """Alternate the two endpoints `rounds` times each; medians of requests per second."""
    cookie, paths = prepare(clients, engine, seed)
    tool = "wrk" if shutil.which("wrk") else "python"
    load = load_wrk if tool == "wrk" else load_python
    port = free_port()
    server = start_server(paths["url"], port, workers)
    try:
        wait_until_up(port, paths["bare"], cookie, server)
        for key in ("api", "bare"):
            status, body = get(port, paths[key], cookie)
            if status != 200:
                raise RuntimeError(f"{paths[key]} answered {status}: {body[:200]!r}")
            load(port, paths[key], cookie, 1, connections)  # warm every worker
        rates: dict[str, list[float]] = {"api": [], "bare": []}
        for _ in range(rounds):
            for key in ("bare", "api"):
                rates[key].append(load(port, paths[key], cookie, seconds, connections))
    finally:
        server.terminate()
        server.wait(timeout=30)
    api_rps = statistics.median(rates["api"])
    bare_rps = statistics.median(rates["bare"])
    return {
        "clients": clients,
        "engine": engine,
        "tool": tool,
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        "rounds": rounds,
        "api_path": paths["api"].rsplit("/", 1)[0] + "/{id}"
        if "clients" in paths["api"]
        else paths["api"],
        "api_rps": round(api_rps, 1),
        "bare_rps": round(bare_rps, 1),
        "ratio": round(api_rps / bare_rps, 3),
        "target_ratio": TARGET_RATIO,
    }


def markdown(result: dict[str, Any]) -> str:
    """The result as a Markdown table."""
    return "\n".join(
        [
            f"{result['engine']}, {result['clients']:,} clients, gunicorn {result['workers']} "
            f"workers, {result['connections']} connections ({result['tool']}), "
            f"median of {result['rounds']} x {result['seconds']} s",
            "",
            "| endpoint | requests/s |",
            "| --- | ---: |",
            f"| `GET {result['api_path']}` | {result['api_rps']:.0f} |",
            f"| bare Django JsonResponse, same row | {result['bare_rps']:.0f} |",
            f"| ratio (target >= {result['target_ratio']}) | {result['ratio']:.2f} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10, help="length of each load run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk not found (apt-get install -y wrk): using a Python client", file=sys.stderr)
    result = run(
        args.clients,
        args.engine,
        args.seed,
        args.seconds,
        args.connections,
        args.workers,
        args.rounds,
    )
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

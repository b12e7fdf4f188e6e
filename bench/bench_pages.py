"""Server time and query count of the busiest pages, in a clinic of N synthetic clients.

    .venv/bin/python bench/bench_pages.py --clients 100000 --engine postgres [--rounds 5]

Uses (and builds once, see synthetic.py) a cached generated database. Each request goes through
the full middleware stack in-process with Django's test client, logged in as a therapist, after a
warm-up; the time is the server's (no network). Each round visits every page for a rotating set
of clients; the median and p95 are over all requests, the spread is the range of the rounds'
medians. Prints a Markdown table, or JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # a sibling script, found through the path set just above

TARGET_P95_MS = 50.0
TARGET_GROWTH = 1.5  # p95 at 100k at most this times the p95 at 1k


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page's timings (ms) and the most queries any of its requests made."""

    page: str
    requests: int
    median_ms: float
    p95_ms: float
    spread_ms: float
    queries: int
    db_median_ms: float  # time the database took (as the driver saw it), median per request


@dataclass(frozen=True, slots=True)
class Target:
    """A page to request: its name and how to build the request for one sample client."""

    name: str
    path: Callable[[dict[str, Any]], str]
    htmx: bool = False


PAGES = (
    Target("client list", lambda s: "/clients/"),
    Target("client search (?q=, htmx)", lambda s: f"/clients/?q={s['search']}", htmx=True),
    Target("client page", lambda s: f"/clients/{s['client']}/"),
    Target("assessment page", lambda s: f"/assessments/{s['assessment']}/"),
    Target("reasoning panel (htmx)", lambda s: f"/assessments/{s['assessment']}/reasoning/", True),
    Target("outcomes report", lambda s: "/outcomes/"),
)


def samples(clinic_id: int, count: int) -> list[dict[str, Any]]:
    """Clients spread evenly over the clinic, each with their latest assessment."""
    from softtissue.assessments.models import Assessment
    from softtissue.clients.models import Client

    ids = list(
        Client.objects.filter(clinic_id=clinic_id).order_by("pk").values_list("pk", flat=True)
    )
    step = max(1, len(ids) // count)
    chosen = ids[step // 2 :: step][:count]
    out = []
    for client_id in chosen:
        client = Client.objects.get(pk=client_id)
        assessment = (
            Assessment.objects.filter(clinic_id=clinic_id, episode__client_id=client_id)
            .order_by("-started_at")
            .values_list("pk", flat=True)
            .first()
        )
        out.append(
            {"client": client_id, "assessment": assessment, "search": client.last_name[:3].lower()}
        )
    return out


def measure(
    web: Any, target: Target, rotation: list[dict[str, Any]]
) -> tuple[list[float], int, list[float]]:
    """Request the page once per sample: server ms, the most queries seen, database ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, database = [], 0, []
    headers = {"HX-Request": "true"} if target.htmx else {}
    for sample in rotation:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = web.get(target.path(sample), headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{target.name}: HTTP {response.status_code}")
        queries = max(queries, len(captured.captured_queries))
        database.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return timings, queries, database


def p95(values: list[float]) -> float:
    """The 95th centile (inclusive method, so small samples stay within the data)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def run(clients: int, engine: str, rounds: int, per_round: int, seed: int) -> dict[str, Any]:
    """Every page, `rounds` times over `per_round` sample clients; a summary per page."""
    url = synthetic.ensure_database(clients, engine, seed)
    synthetic.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client as WebClient

    from softtissue.accounts.models import User

    # Not setup_test_environment(): its instrumented template rendering would double the time.
    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)  # pages of newer code may need newer tables
    summary = json.loads(synthetic.ready_marker(clients, engine, seed).read_text())
    web = WebClient()
    web.force_login(User.objects.get(email=summary["therapist_email"]))
    rotation = samples(summary["clinic_id"], per_round)
    for target in PAGES:  # warm-up: templates, knowledge base, connection, session
        measure(web, target, rotation[:2])
    results = []
    for target in PAGES:
        all_timings, round_medians, queries, database = [], [], 0, []
        for _ in range(rounds):
            timings, most, db = measure(web, target, rotation)
            all_timings.extend(timings)
            database.extend(db)
            round_medians.append(statistics.median(timings))
            queries = max(queries, most)
        results.append(
            PageResult(
                page=target.name,
                requests=len(all_timings),
                median_ms=round(statistics.median(all_timings), 2),
                p95_ms=round(p95(all_timings), 2),
                spread_ms=round(max(round_medians) - min(round_medians), 2),
                queries=queries,
                db_median_ms=round(statistics.median(database), 2),
            )
        )
    return {
        "clients": clients,
        "engine": engine,
        "rounds": rounds,
        "per_round": per_round,
        "pages": [asdict(r) for r in results],
    }


def markdown(result: dict[str, Any]) -> str:
    """The result as a Markdown table."""
    lines = [
        f"{result['engine']}, {result['clients']:,} clients, {result['rounds']} rounds of "
        f"{result['per_round']} requests per page",
        "",
        "| page | median ms | p95 ms | spread ms | queries | database ms (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in result["pages"]:
        lines.append(
            f"| {page['page']} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} "
            f"| {page['spread_ms']:.1f} | {page['queries']} | {page['db_median_ms']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=20, help="sample clients per round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    result = run(args.clients, args.engine, args.rounds, args.per_round, args.seed)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

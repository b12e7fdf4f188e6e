"""Run every benchmark and write bench/results/latest.json and latest.md.

    .venv/bin/python bench/run_all.py [--sizes 1000,100000] [--engines sqlite,postgres] [--quick]

Each benchmark runs in its own process (Django is set up once per process, for one database).
Generated clinics come from bench/synthetic.py and are cached, so only the first run of a size
pays for generating it. Benchmarks written by other parts of the project (import, FHIR export,
backup and restore) are run when present and listed as skipped when not. A failing benchmark
is recorded with its error and the others still run; the exit code is 1 when any failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import synthetic  # noqa: E402 - a sibling script, found through the path set just above

Step = dict[str, Any]


def script(name: str, *args: str, env: dict[str, str] | None = None) -> tuple[str, float]:
    """Run bench/<name> with this Python; its stdout and the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{name} exited {done.returncode}: " + " | ".join(tail))
    return done.stdout, time.perf_counter() - started


def step(name: str, run: Callable[[], tuple[Any, float]]) -> Step:
    """Run one benchmark, recording its result, or why it failed."""
    print(f"{datetime.now(UTC):%H:%M:%S} {name} ...", file=sys.stderr, flush=True)
    try:
        result, seconds = run()
    # Any failure is recorded, so that one broken benchmark does not stop the others.
    except Exception as error:
        print(f"  failed: {error}", file=sys.stderr)
        return {"name": name, "status": "failed", "error": str(error)}
    return {"name": name, "status": "ok", "seconds": round(seconds, 1), "result": result}


def skipped(name: str, why: str) -> Step:
    """A benchmark that cannot run here, and why."""
    print(f"{name}: skipped ({why})", file=sys.stderr)
    return {"name": name, "status": "skipped", "note": why}


def postgres_env(engine: str) -> dict[str, str]:
    """Environment that points a self-contained benchmark at the PostgreSQL server."""
    if engine != "postgres":
        return {"SOFTTISSUE_DATABASE_URL": ""}
    return {
        "SOFTTISSUE_DATABASE_URL": f"postgres:///softtissue_bench?host={synthetic.POSTGRES_HOST}"
    }


def backup_restore(size: int, engine: str) -> tuple[dict[str, Any], float]:
    """Seconds for `softtissue backup` of a generated clinic and `restore` into an empty one."""
    source = synthetic.ensure_database(size, engine)
    scratch = Path(tempfile.mkdtemp(prefix="softtissue-backup-bench-"))
    archive = scratch / "backup.tar.gz"
    if engine == "postgres":
        target_name = f"softtissue_bench_restore_{os.getpid()}"
        synthetic.create_postgres_database(target_name, drop=True)
        target = f"postgres:///{target_name}?host={synthetic.POSTGRES_HOST}"
    else:
        target = f"sqlite:///{scratch / 'restored.sqlite3'}"
    base = {**os.environ, "SOFTTISSUE_DATA_DIR": str(synthetic.CACHE_DIR / "data")}
    command = [sys.executable, "-m", "softtissue"]
    timings = {}
    for label, args, url in (
        ("backup_seconds", ["backup", str(archive)], source),
        ("restore_seconds", ["restore", str(archive), "--yes"], target),
    ):
        started = time.perf_counter()
        done = subprocess.run(
            [*command, *args],
            env={**base, "SOFTTISSUE_DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"softtissue {args[0]}: {done.stderr.strip()[-300:]}")
        timings[label] = round(time.perf_counter() - started, 1)
    timings["archive_mb"] = round(archive.stat().st_size / 1e6, 1)
    total = timings["backup_seconds"] + timings["restore_seconds"]
    return {"clients": size, "engine": engine, **timings}, total


def run(sizes: list[int], engines: list[str], quick: bool) -> list[Step]:
    """Every benchmark, in the order cheapest first."""
    steps: list[Step] = []
    reasoning_args = ["--load-runs", "5", "--eval-runs", "300"] if quick else []
    steps.append(step("reasoning", lambda: json_script("bench_reasoning.py", *reasoning_args)))
    largest, smallest = max(sizes), min(sizes)
    # The outcomes report of a 100,000-client clinic takes seconds, so rounds are kept short.
    rounds = (
        ["--rounds", "2", "--per-round", "5"] if quick else ["--rounds", "3", "--per-round", "10"]
    )
    load = ["--seconds", "3", "--rounds", "1"] if quick else []
    searches = ["--searches", "50" if quick else "200"]
    runs = ["--runs", "1"] if quick else []
    for engine in engines:
        for size in sizes:
            steps.append(
                step(
                    f"pages {engine} {size}",
                    lambda e=engine, s=size: json_script(
                        "bench_pages.py", "--clients", str(s), "--engine", e, *rounds
                    ),
                )
            )
        steps.append(
            step(
                f"api {engine} {largest}",
                lambda e=engine: json_script(
                    "bench_api.py", "--clients", str(largest), "--engine", e, *load
                ),
            )
        )
        steps.append(
            step(
                f"client search {engine} {largest}",
                lambda e=engine: script(
                    "bench_client_search.py",
                    "--clients",
                    str(largest),
                    *searches,
                    env=postgres_env(e),
                ),
            )
        )
        if (BENCH / "bench_import.py").exists():
            steps.append(
                step(
                    f"import {engine}",
                    lambda e=engine: script(
                        "bench_import.py", "--clients", "10000", *runs, env=postgres_env(e)
                    ),
                )
            )
        else:
            steps.append(skipped(f"import {engine}", "bench/bench_import.py is not there yet"))
        if (BENCH / "bench_fhir_export.py").exists():
            # The export of a whole clinic is slow (minutes per 10,000 clients): the smallest size.
            export_size = str(smallest)
            steps.append(
                step(
                    f"fhir export {engine} {export_size}",
                    lambda e=engine, n=export_size: script(
                        "bench_fhir_export.py", "--clients", n, "--engine", e, "--no-trace"
                    ),
                )
            )
        else:
            steps.append(skipped(f"fhir export {engine}", "bench/bench_fhir_export.py is missing"))
        commands = REPO / "softtissue" / "management" / "commands"
        if (commands / "backup.py").exists() and (commands / "restore.py").exists():
            steps.append(
                step(
                    f"backup and restore {engine} {smallest}",
                    lambda e=engine: backup_restore(smallest, e),
                )
            )
        else:
            steps.append(skipped(f"backup and restore {engine}", "no backup/restore command"))
    return steps


def json_script(name: str, *args: str) -> tuple[Any, float]:
    """Run a benchmark that prints JSON with --json."""
    out, seconds = script(name, *args, "--json")
    return json.loads(out), seconds


def markdown(report: dict[str, Any]) -> str:
    """The whole run as Markdown: pages and API as tables, other benchmarks as they print."""
    lines = [
        f"# Benchmarks, {report['finished']}",
        "",
        f"`{report['command']}` on {report['machine']}.",
        "",
    ]
    pages = [s for s in report["steps"] if s["name"].startswith("pages ") and s["status"] == "ok"]
    if pages:
        lines += [
            "## Pages (server time in ms, in-process, logged in as a therapist)",
            "",
            "| page | engine | clients | median | p95 | spread | queries | database |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for one in pages:
            result = one["result"]
            for page in result["pages"]:
                lines.append(
                    f"| {page['page']} | {result['engine']} | {result['clients']:,} "
                    f"| {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['spread_ms']:.1f} "
                    f"| {page['queries']} | {page['db_median_ms']:.1f} |"
                )
        lines.append("")
    apis = [s for s in report["steps"] if s["name"].startswith("api ") and s["status"] == "ok"]
    if apis:
        lines += [
            "## API throughput (gunicorn, 16 connections)",
            "",
            "| engine | clients | endpoint | API req/s | bare Django req/s | ratio |",
            "| --- | ---: | --- | ---: | ---: | ---: |",
        ]
        for one in apis:
            r = one["result"]
            lines.append(
                f"| {r['engine']} | {r['clients']:,} | `{r['api_path']}` | {r['api_rps']:.0f} "
                f"| {r['bare_rps']:.0f} | {r['ratio']:.2f} |"
            )
        lines.append("")
    for one in report["steps"]:
        if one["name"].startswith(("pages ", "api ")) and one["status"] == "ok":
            continue
        lines += [f"## {one['name']}", ""]
        if one["status"] == "ok" and isinstance(one["result"], str):
            lines += [one["result"].strip(), ""]
        elif one["status"] == "ok":
            lines += ["```json", json.dumps(one["result"], indent=2), "```", ""]
        else:
            lines += [f"{one['status']}: {one.get('error') or one.get('note')}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="clinic sizes, comma-separated")
    parser.add_argument("--engines", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and shorter loads")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",")})
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: give whole numbers, e.g. 1000,100000")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - {"sqlite", "postgres"}
    if unknown or not engines or min(sizes) < 1:
        parser.error("--engines takes sqlite and/or postgres; --sizes must be at least 1")
    started = datetime.now(UTC)
    steps = run(sizes, engines, args.quick)
    report = {
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "finished": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "command": "python bench/run_all.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": sizes,
        "engines": engines,
        "quick": args.quick,
        "steps": steps,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report) + "\n")
    print(f"wrote {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}", file=sys.stderr)
    return 1 if any(s["status"] == "failed" for s in steps) else 0


if __name__ == "__main__":
    sys.exit(main())

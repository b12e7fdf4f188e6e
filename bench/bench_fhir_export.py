"""Whole-clinic FHIR export at scale: time, output size and peak memory of `softtissue export`.

    .venv/bin/python bench/bench_fhir_export.py [--clients 10000] [--engine sqlite|postgres]

The clinic comes from bench/synthetic.py (cached between runs). Two runs of the export:
the command itself in a subprocess, for wall time and the child's peak resident set
(ru_maxrss), then the same export in a subprocess under tracemalloc, for the peak of Python
allocations. The output is parsed back to count its entries. Target: peak under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import synthetic  # noqa: E402 - bench/ is put on the path just above

MB = 1024 * 1024


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SOFTTISSUE_DATABASE_URL"] = url
    env.setdefault("SOFTTISSUE_DATA_DIR", str(synthetic.CACHE_DIR / "data"))
    env["DJANGO_SETTINGS_MODULE"] = "softtissue.settings"
    return env


def run_command(url: str, clinic_id: int, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `softtissue export fhir OUT --clinic ID`."""
    command = [sys.executable, "-m", "softtissue", "export", "fhir", str(out)]
    command += ["--clinic", str(clinic_id)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=child_env(url), stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed with status {status}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def run_traced(url: str, clinic_id: int, out: Path) -> float:
    """Peak traced Python allocations (MB) of the same export, in a fresh process."""
    command = [sys.executable, __file__, "--traced", str(clinic_id), str(out)]
    result = subprocess.run(command, env=child_env(url), check=True, capture_output=True, text=True)
    return float(result.stdout.strip()) / MB


def traced_child(clinic_id: int, out: Path) -> None:
    """Run inside the subprocess: export under tracemalloc and print the peak in bytes."""
    import tracemalloc

    import django

    django.setup()
    from softtissue.accounts.models import Clinic
    from softtissue.interop.fhir import write_clinic_bundle

    clinic = Clinic.objects.get(pk=clinic_id)
    tracemalloc.start()
    with out.open("w", encoding="utf-8") as stream:
        write_clinic_bundle(stream, clinic)
    print(tracemalloc.get_traced_memory()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--traced", nargs=2, metavar=("CLINIC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.traced:
        traced_child(int(args.traced[0]), Path(args.traced[1]))
        return 0
    url = synthetic.ensure_database(args.clients, args.engine, args.seed)
    marker = json.loads(synthetic.ready_marker(args.clients, args.engine, args.seed).read_text())
    clinic_id = int(marker["clinic_id"])
    with tempfile.TemporaryDirectory(prefix="bench-fhir-") as directory:
        out = Path(directory) / "clinic.json"
        seconds, rss = run_command(url, clinic_id, out)
        size = out.stat().st_size / MB
        with out.open(encoding="utf-8") as stream:
            entries = len(json.load(stream)["entry"])
        traced = None if args.no_trace else run_traced(url, clinic_id, out)
    print(
        "| clients | engine | resources | output MB | seconds | clients/s | peak RSS MB "
        "| tracemalloc peak MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.clients:,} | {args.engine} | {entries:,} | {size:.0f} | {seconds:.1f} "
        f"| {args.clients / seconds:.0f} | {rss:.0f} | "
        f"{'-' if traced is None else f'{traced:.0f}'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

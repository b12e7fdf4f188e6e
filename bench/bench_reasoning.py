"""Time loading the knowledge base and one full evaluation of a typical lateral elbow case."""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from softtissue.reasoning.cases import evaluate
from softtissue.reasoning.facts import ClientFacts, PlanRequest, TherapistFacts
from softtissue.reasoning.knowledge import load_knowledge

CASE_ID = "case.lateral-elbow-tendinopathy"
CONDITION_ID = "condition.lateral-elbow-tendinopathy"
TARGETS_MS = {"load_knowledge": 300.0, "evaluate": 2.0}


def timings(run: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds taken by each run."""
    out: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summarise(name: str, ms: list[float]) -> dict[str, Any]:
    """Median, 95th centile, min and max in milliseconds."""
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "name": name,
        "runs": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": p95,
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "target_median_ms": TARGETS_MS[name],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--load-runs", type=int, default=20)
    parser.add_argument("--eval-runs", type=int, default=2000)
    args = parser.parse_args(argv)

    kb = load_knowledge()
    if CASE_ID not in kb.cases:
        print(f"{CASE_ID} is not in the knowledge base", file=sys.stderr)
        return 1
    # The vignette has findings only; a therapist, plan and client make every answer do work.
    management = kb.conditions[CONDITION_ID].get("management") or {}
    case = dataclasses.replace(
        kb.cases[CASE_ID],
        client=ClientFacts(age=46, conditions=("diabetes",) if "diabetes" in kb.findings else ()),
        therapist=TherapistFacts(("qualification.smt-l4",), ("cpd.taping",)),
        plan=PlanRequest(CONDITION_ID, None, tuple(management.get("techniques", ())), ()),
    )
    results = [
        summarise("load_knowledge", timings(load_knowledge, args.load_runs)),
        summarise("evaluate", timings(lambda: evaluate(case, kb), args.eval_runs)),
    ]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{'benchmark':<16}{'runs':>6}{'median':>10}{'p95':>10}{'min':>10}{'max':>10}{'target':>10}"
    )
    for r in results:
        print(
            f"{r['name']:<16}{r['runs']:>6}{r['median_ms']:>10.3f}{r['p95_ms']:>10.3f}"
            f"{r['min_ms']:>10.3f}{r['max_ms']:>10.3f}{r['target_median_ms']:>10.1f}"
        )
    print("(milliseconds; targets are for the median and are not asserted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

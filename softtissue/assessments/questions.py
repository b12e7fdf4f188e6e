"""What to ask and test for a region, read from the knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from softtissue.reasoning import Knowledge, default_knowledge
from softtissue.reasoning.rules import Leaf, Rule

# Findings that other sections of the assessment record, so they are never asked twice.
FROM_HISTORY = {
    "onset": "History: onset",
    "symptom_duration_weeks": "History: symptom duration",
    "previous_episodes": "History: previous episodes",
}
FROM_RECORD = {"age": "Client record: date of birth", "sex": "Client record: sex"}
ASKED_ELSEWHERE = {**FROM_HISTORY, **FROM_RECORD}


def _leaf_codes(rule: Rule) -> Iterator[str]:
    if isinstance(rule, Leaf):
        yield rule.finding
        return
    for child in rule.children:
        yield from _leaf_codes(child)


def kb() -> Knowledge:
    """The knowledge base the assessment pages use."""
    return default_knowledge()


def region_choices() -> list[tuple[str, str]]:
    """(region id, label) for forms, in knowledge order."""
    return [(key, str(entry["label"])) for key, entry in kb().regions.items()]


def region_label(region: str) -> str:
    """The region's label, or its id when the knowledge base no longer has it."""
    entry = kb().regions.get(region)
    return str(entry["label"]) if entry else region


@cache
def screening_codes(region: str) -> tuple[str, ...]:
    """Every finding in the red flags asked for this region (or everywhere), in rule order."""
    knowledge = kb()
    codes: dict[str, None] = {}
    for compiled in knowledge.red_flag_rules:
        regions = knowledge.red_flags[compiled.id].get("regions") or ()
        if not regions or region in regions:
            codes.update(dict.fromkeys(_leaf_codes(compiled.rule)))
    return tuple(codes)


@cache
def suggested_tests(region: str) -> tuple[str, ...]:
    """Special test ids for the region, in knowledge order."""
    return tuple(key for key, entry in kb().special_tests.items() if entry["region"] == region)


def test_finding(test_id: str) -> str:
    """The boolean finding a special test records."""
    return str(kb().special_tests[test_id]["finding"])


@cache
def screening_questions(region: str) -> tuple[str, ...]:
    """Screening findings asked as questions: those no other section records."""
    tested = {test_finding(t) for t in suggested_tests(region)}
    return tuple(c for c in screening_codes(region) if c not in ASKED_ELSEWHERE and c not in tested)


@cache
def region_questions(region: str) -> tuple[str, ...]:
    """The region's own findings and its conditions' features, less screening and tests."""
    knowledge = kb()
    codes: dict[str, None] = {}
    for code, finding in knowledge.findings.items():
        if region in finding.regions:
            codes[code] = None
    for condition in knowledge.conditions_by_region.get(region, ()):
        for feature in knowledge.features[condition]:
            codes[feature.leaf.finding] = None
    skip = set(screening_codes(region)) | set(ASKED_ELSEWHERE)
    return tuple(
        code
        for code in codes
        if code not in skip and knowledge.findings[code].kind not in ("test", "medical_history")
    )


def movements(region: str) -> list[dict[str, Any]]:
    """The region's movements with normal degrees and the source of the norm."""
    entry = kb().regions.get(region)
    return list(entry["movements"]) if entry else []


def movement_labels() -> dict[str, str]:
    """Every movement id in the knowledge base -> its label."""
    return {m["id"]: str(m["label"]) for entry in kb().regions.values() for m in entry["movements"]}


def test_choices() -> list[tuple[str, str]]:
    """Every special test, for the 'another test' field."""
    return sorted(
        ((key, str(entry["name"])) for key, entry in kb().special_tests.items()),
        key=lambda pair: pair[1],
    )

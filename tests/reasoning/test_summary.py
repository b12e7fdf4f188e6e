"""Counts and the finding vocabulary for the command line."""

from __future__ import annotations

from softtissue.reasoning.knowledge import Knowledge
from softtissue.reasoning.summary import findings_json, knowledge_counts


def test_it_counts_entries(kb: Knowledge) -> None:
    assert knowledge_counts(kb) == {
        "conditions": 2,
        "special_tests": 2,
        "red_flags": 3,
        "contraindications": 4,
        "techniques": 6,
        "qualifications": 2,
        "exercises": 2,
        "measures": 0,
        "sources": 3,
        "cases": 2,
    }


def test_it_lists_findings_with_their_extras(kb: Knowledge) -> None:
    rows = {row["code"]: row for row in findings_json(kb)}
    assert list(rows) == sorted(rows)
    assert rows["age"] == {
        "code": "age",
        "type": "number",
        "label": "Age",
        "question": "Age in years",
        "kind": "demographic",
        "min": 0,
        "max": 120,
        "unit": "years",
    }
    assert rows["onset"]["choices"] == ["sudden", "gradual", "after_trauma"]
    assert rows["night_pain"]["regions"] == ["region.elbow"]
    assert set(rows["fever"]) == {"code", "type", "label", "question", "kind"}

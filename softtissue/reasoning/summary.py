"""Summaries for the command line: counts, the finding vocabulary and a full knowledge check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from softtissue.reasoning.cases import check_case, evaluate
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.knowledge import DEFAULT_DIRECTORY, Knowledge, build_knowledge


def knowledge_counts(kb: Knowledge) -> dict[str, int]:
    """How many entries of each main kind the knowledge base holds."""
    return {
        "conditions": len(kb.conditions),
        "special_tests": len(kb.special_tests),
        "red_flags": len(kb.red_flags),
        "contraindications": len(kb.contraindications),
        "techniques": len(kb.techniques),
        "qualifications": len(kb.qualifications),
        "exercises": len(kb.exercises),
        "measures": len(kb.measures),
        "sources": len(kb.sources),
        "cases": len(kb.cases),
    }


def findings_json(kb: Knowledge) -> list[dict[str, Any]]:
    """The finding vocabulary, sorted by code, with each type's extras."""
    rows: list[dict[str, Any]] = []
    for code in sorted(kb.findings):
        f = kb.findings[code]
        row: dict[str, Any] = {
            "code": f.code,
            "type": f.type,
            "label": f.label,
            "question": f.question,
            "kind": f.kind,
        }
        if f.type == "number":
            row.update(min=f.min, max=f.max, unit=f.unit)
        if f.type == "choice":
            row["choices"] = list(f.choices)
        if f.regions:
            row["regions"] = list(f.regions)
        rows.append(row)
    return rows


def check_knowledge(directory: Path | None = None) -> list[KnowledgeError]:
    """Every problem in the knowledge base, including vignettes whose expectations are unmet."""
    kb, problems = build_knowledge(directory or DEFAULT_DIRECTORY)
    if problems:
        # Answers from an invalid knowledge base mean nothing, and may not even be computable.
        return problems
    for case_id, case in kb.cases.items():
        for unmet in check_case(case, evaluate(case, kb)):
            problems.append(KnowledgeError(kb.files[case_id], case_id, unmet))
    return problems

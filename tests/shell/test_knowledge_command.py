"""`softtissue knowledge`: the JSON contracts other tools rely on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

COUNT_KEYS = {
    "conditions",
    "special_tests",
    "red_flags",
    "contraindications",
    "techniques",
    "qualifications",
    "exercises",
    "measures",
    "sources",
    "cases",
}
MINIMUMS = {
    "conditions": 40,
    "special_tests": 50,
    "techniques": 25,
    "exercises": 120,
    "measures": 19,
    "cases": 60,
    "qualifications": 9,
}


def run_json(*args: str) -> object:
    out = StringIO()
    call_command("knowledge", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_counts_every_kind() -> None:
    listing = run_json("list")
    assert isinstance(listing, dict)
    assert set(listing["counts"]) == COUNT_KEYS
    for kind, minimum in MINIMUMS.items():
        assert listing["counts"][kind] >= minimum, kind
    assert listing["counts"]["conditions"] == len(listing["conditions"])


def test_it_lists_the_finding_vocabulary() -> None:
    findings = run_json("findings")
    assert isinstance(findings, list)
    by_code = {row["code"]: row for row in findings}
    assert by_code["pain_nrs"]["type"] == "number"
    assert (by_code["pain_nrs"]["min"], by_code["pain_nrs"]["max"]) == (0, 10)
    assert by_code["saddle_anaesthesia"]["type"] == "boolean"
    assert set(by_code["onset"]["choices"]) >= {"sudden", "gradual"}
    assert all({"code", "type", "label", "question"} <= set(row) for row in findings)


def test_it_passes_its_own_check() -> None:
    out = StringIO()
    call_command("knowledge", "check", stdout=out)
    assert out.getvalue().startswith("Knowledge base is valid:")


def test_it_reports_problems_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from softtissue.management.commands import knowledge
    from softtissue.reasoning import KnowledgeError

    problems = [KnowledgeError("red_flags.yaml", "red-flag.x", "unknown finding 'nope'")]
    monkeypatch.setattr(knowledge, "check_knowledge", lambda: problems)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("knowledge", "check", stdout=out)
    assert exit_info.value.code == 1
    assert "- red_flags.yaml: red-flag.x: unknown finding 'nope'" in out.getvalue()

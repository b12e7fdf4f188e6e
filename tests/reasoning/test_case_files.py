"""Case files: JSON or YAML, short ids accepted, every problem named by file and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from softtissue.reasoning import knowledge
from softtissue.reasoning.casefiles import load_case
from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import ClientFacts, PlanRequest, TherapistFacts
from softtissue.reasoning.knowledge import Knowledge

FULL = {
    "findings": {"pain_lateral_epicondyle": True, "pain_nrs": 4},
    "region": "elbow",
    "client": {
        "age": 45,
        "pregnant": False,
        "conditions": ["open_wound"],
        "medications": ["warfarin"],
    },
    "therapist": {
        "qualifications": ["smt-l3"],
        "cpd": ["cpd.taping"],
        "insurance": "basic",
        "insurance_expired": True,
    },
    "plan": {
        "condition": "lateral-elbow-tendinopathy",
        "condition_category": "chronic-complex-msk",
        "techniques": ["soft-tissue-release"],
        "regions": "elbow",
    },
}


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml", ".JSON"])
def test_it_reads_a_case_and_prefixes_short_ids(kb: Knowledge, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"case{suffix}"
    path.write_text(json.dumps(FULL), encoding="utf-8")
    case = load_case(path, kb)
    assert case.file == str(path)
    assert case.findings == {"pain_lateral_epicondyle": True, "pain_nrs": 4}
    assert case.region == "region.elbow"
    assert case.client == ClientFacts(45, False, ("open_wound",), ("medication.warfarin",))
    assert case.therapist == TherapistFacts(
        ("qualification.smt-l3",), ("cpd.taping",), "insurer.basic", True
    )
    assert case.plan == PlanRequest(
        "condition.lateral-elbow-tendinopathy",
        "category.chronic-complex-msk",
        ("technique.soft-tissue-release",),
        ("region.elbow",),
    )
    assert (case.id, case.expect) == (None, None)


def test_it_reads_a_minimal_case(kb: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("findings: {}\nclient: {}\ntherapist: {}\n", encoding="utf-8")
    case = load_case(path, kb)
    assert case.client == ClientFacts()
    assert case.therapist == TherapistFacts(())
    assert (case.region, case.plan) == (None, None)


def test_it_uses_the_default_knowledge(
    kb: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(knowledge, "default_knowledge", lambda: kb)
    path = tmp_path / "case.json"
    path.write_text('{"findings": {"fever": true}}', encoding="utf-8")
    assert load_case(path).findings == {"fever": True}


@pytest.mark.parametrize(
    ("name", "text", "key", "problem"),
    [
        ("case.txt", "findings: {}", None, "expected a .json, .yaml or .yml file"),
        ("case.json", '{"findings": {,}}', None, "malformed JSON at line 1: Expecting"),
        ("case.yaml", "findings:\n  a: [1\n", None, "malformed YAML at line 3"),
        ("case.yaml", "findings: \x07", None, "malformed YAML"),
        ("case.yaml", "- findings: {}", None, "expected a mapping with findings at the top level"),
        (
            "case.yaml",
            "findings: {}\nregoin: elbow",
            "regoin",
            "unknown key; expected one of findings",
        ),
        ("case.yaml", "region: elbow", "findings", "expected a mapping of finding codes to values"),
        (
            "case.yaml",
            "findings: {pain_nrs: 12}",
            "findings.pain_nrs",
            "expected a number from 0 to 10",
        ),
        ("case.yaml", "findings: {pain: 2}", "findings.pain", "unknown finding code"),
        ("case.yaml", "findings: {}\nregion: toe", "region", "unknown region id 'toe'"),
        ("case.yaml", "findings: {}\nregion: 3", "region", "expected a region id"),
        ("case.yaml", "findings: {}\nid: 3", "id", "expected text"),
        ("case.yaml", "findings: {}\nclient: old", "client", "expected a mapping"),
        (
            "case.yaml",
            "findings: {}\nclient: {weight: 3}",
            "client.weight",
            "unknown key; expected one of conditions",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {age: 200}",
            "client.age",
            "expected a number from 0 to 120",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {age: 45.5}",
            "client.age",
            "expected a whole number of years",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {pregnant: maybe}",
            "client.pregnant",
            "expected true or false",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {conditions: diabetes}",
            "client.conditions",
            "expected a list",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {conditions: [diabetes]}",
            "client.conditions[0]",
            "unknown medical-history code 'diabetes'",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {conditions: [age]}",
            "client.conditions[0]",
            "unknown medical-history code 'age'",
        ),
        (
            "case.yaml",
            "findings: {}\nclient: {medications: [aspirin]}",
            "client.medications[0]",
            "unknown medication id 'aspirin'",
        ),
        (
            "case.yaml",
            "findings: {}\ntherapist: {qualifications: {a: 1}}",
            "therapist.qualifications",
            "expected a list of qualification ids",
        ),
        (
            "case.yaml",
            "findings: {}\ntherapist: {insurance_expired: soon}",
            "therapist.insurance_expired",
            "expected true or false",
        ),
        (
            "case.yaml",
            "findings: {}\nplan: {techniques: [reiki]}",
            "plan.techniques[0]",
            "unknown technique id 'reiki'",
        ),
        (
            "case.yaml",
            "findings: {}\nexpect: {triage: soon}",
            "expect.triage",
            "expected one of none, refer_routine",
        ),
        (
            "case.yaml",
            "findings: {}\nexpect: {scope: fine}",
            "expect.scope",
            "expected one of allow, warn",
        ),
        (
            "case.yaml",
            "findings: {}\nexpect: {top3: [flu]}",
            "expect.top3[0]",
            "unknown condition id 'flu'",
        ),
    ],
)
def test_it_names_the_problem(
    kb: Knowledge, tmp_path: Path, name: str, text: str, key: str | None, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as raised:
        load_case(path, kb)
    assert (raised.value.file, raised.value.key) == (str(path), key)
    assert raised.value.problem.startswith(problem), raised.value.problem


def test_it_names_a_missing_file(kb: Knowledge, tmp_path: Path) -> None:
    with pytest.raises(CaseError) as raised:
        load_case(tmp_path / "absent.json", kb)
    assert raised.value.problem.startswith("cannot read the file")

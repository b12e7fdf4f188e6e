"""Evaluating cases, the JSON contract, and checking vignettes' expectations."""

from __future__ import annotations

import dataclasses

import pytest

from softtissue.reasoning.casefiles import Case, Expectation
from softtissue.reasoning.cases import check_case, evaluate, evaluation_json
from softtissue.reasoning.facts import ClientFacts, PlanRequest, TherapistFacts
from softtissue.reasoning.knowledge import Knowledge

LATERAL = "condition.lateral-elbow-tendinopathy"


def elbow_case(**changes: object) -> Case:
    case = Case(
        file="case.yaml",
        findings={"pain_lateral_epicondyle": True, "test_cozen": True},
        region="region.elbow",
        client=ClientFacts(age=45, medications=("medication.warfarin",)),
        therapist=TherapistFacts(("qualification.smt-l4",)),
        plan=PlanRequest(condition=LATERAL, techniques=("technique.deep-transverse-friction",)),
    )
    return dataclasses.replace(case, **changes)  # type: ignore[arg-type]


def test_it_writes_the_json_contract(kb: Knowledge) -> None:
    out = evaluation_json(evaluate(elbow_case(), kb))
    assert list(out) == [
        "triage",
        "contraindications",
        "differential",
        "differential_summary",
        "scope",
        "safety_nets",
    ]
    assert out["triage"] == {"urgency": "none", "flags": []}
    assert out["contraindications"] == [
        {
            "id": "contraindication.anticoagulants",
            "name": "Anticoagulant medication",
            "tier": "caution",
            "outcome": "require_clearance",
            "techniques": ["technique.deep-transverse-friction"],
            "regions": ["all"],
            "action": "Light pressure only.",
            "because": ["anticoagulant_medication"],
            "sources": ["project-choice"],
        }
    ]
    top = out["differential"][0]
    assert top["condition"] == LATERAL
    assert top["probability"] == pytest.approx(0.7590, abs=5e-5)
    assert top["because"][0] == {
        "finding": "pain_lateral_epicondyle",
        "value": True,
        "lr": 3.0,
        "sources": ["expert-estimate"],
    }
    assert out["differential_summary"]["label"] == "working impression"
    assert out["differential_summary"]["enough_information"] is True
    assert out["scope"]["outcome"] == "require_clearance"
    assert out["scope"]["overridable"] is True
    assert out["scope"]["referral"] is None
    assert set(out["scope"]["items"][0]) == {"subject", "outcome", "reason", "because", "sources"}


def test_it_writes_flags_and_a_null_scope(kb: Knowledge) -> None:
    case = Case(file="c.yaml", findings={"saddle_anaesthesia": True})
    out = evaluation_json(evaluate(case, kb))
    assert out["scope"] is None
    assert out["triage"]["flags"] == [
        {
            "id": "red-flag.cauda-equina",
            "urgency": "refer_emergency",
            "message": "Stop; A&E now.",
            "referral": "999 or A&E now",
            "because": ["saddle_anaesthesia"],
            "sources": ["src-a"],
        }
    ]


def test_it_merges_the_client_into_the_findings(kb: Knowledge) -> None:
    case = Case(file="c.yaml", findings={"fever": True}, client=ClientFacts(age=1, pregnant=True))
    ev = evaluate(case, kb)
    assert ev.triage.flags[0].because == ("fever", "age")
    assert [h.id for h in ev.contraindications] == [
        "contraindication.fever",
        "contraindication.pregnancy",
    ]


@pytest.mark.parametrize(
    ("expect", "unmet"),
    [
        (None, []),
        (Expectation(), []),
        (
            Expectation(
                triage="none",
                not_flags=("red-flag.cauda-equina",),
                top3=(LATERAL,),
                contraindications=("contraindication.anticoagulants",),
                scope="require_clearance",
            ),
            [],
        ),
        (Expectation(triage="refer_urgent"), ["triage: expected refer_urgent, got none"]),
        (
            Expectation(flags=("red-flag.infection",)),
            ["flags: expected red-flag.infection to fire"],
        ),
        (
            Expectation(contraindications=("contraindication.fever",)),
            ["contraindications: expected contraindication.fever to fire"],
        ),
        (Expectation(scope="allow"), ["scope: expected allow, got require_clearance"]),
    ],
)
def test_it_checks_expectations(
    kb: Knowledge, expect: Expectation | None, unmet: list[str]
) -> None:
    case = elbow_case(expect=expect)
    assert check_case(case, evaluate(case, kb)) == unmet


def test_it_reports_fired_not_flags_missing_top3_and_no_therapist(kb: Knowledge) -> None:
    case = Case(
        file="c.yaml",
        findings={"saddle_anaesthesia": True},
        region="region.knee",
        expect=Expectation(not_flags=("red-flag.cauda-equina",), top3=(LATERAL,), scope="allow"),
    )
    assert check_case(case, evaluate(case, kb)) == [
        "not_flags: red-flag.cauda-equina fired",
        f"top3: expected {LATERAL} among no candidates",
        "scope: expected allow, got no therapist given",
    ]


def test_it_lists_the_top3_it_saw(kb: Knowledge) -> None:
    case = Case(
        file="c.yaml",
        findings={"pain_lateral_epicondyle": False},
        expect=Expectation(top3=("condition.medial-elbow-tendinopathy", LATERAL)),
    )
    assert check_case(case, evaluate(case, kb)) == []

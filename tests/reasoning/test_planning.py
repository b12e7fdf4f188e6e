"""Plans: the condition's techniques with their scope outcome, and its rehab phases."""

from __future__ import annotations

import pytest

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import TherapistFacts
from softtissue.reasoning.knowledge import Knowledge
from softtissue.reasoning.planning import plan

LATERAL = "condition.lateral-elbow-tendinopathy"


def test_it_lists_techniques_without_a_therapist(kb: Knowledge) -> None:
    suggestion = plan(LATERAL, kb)
    assert [(t.technique, t.outcome, t.reason) for t in suggestion.techniques] == [
        ("technique.soft-tissue-release", None, None),
        ("technique.deep-transverse-friction", None, None),
        ("technique.taping-kinesiology", None, None),
    ]
    assert suggestion.scope is None
    assert (suggestion.name, suggestion.advice) == (
        "Lateral elbow tendinopathy",
        "Load management.",
    )


def test_it_checks_each_technique_for_the_therapist(kb: Knowledge) -> None:
    therapist = TherapistFacts(("qualification.smt-l3",), ("cpd.taping",))
    suggestion = plan(LATERAL, kb, therapist=therapist, findings={"anticoagulant_medication": True})
    assert [(t.name, t.outcome, t.contraindications) for t in suggestion.techniques] == [
        ("Soft tissue release", "block", ()),
        ("Deep transverse friction", "warn", ("contraindication.anticoagulants",)),
        ("Kinesiology taping", "allow", ()),
    ]
    assert suggestion.scope is not None
    assert suggestion.scope.outcome == "block"


def test_it_resolves_rehab_phases(kb: Knowledge) -> None:
    phases = plan(LATERAL, kb).phases
    assert [(p.phase, p.name, p.goals, p.progress_when) for p in phases] == [
        (1, "Settle", "Less pain", ("Pain 3/10 or less",)),
        (2, "Load", "", ()),
    ]
    assert [(e.exercise, e.name, e.dosage) for e in phases[0].exercises] == [
        ("exercise.isometric-wrist-extension", "Isometric wrist extension", "5 x 45 s"),
        ("exercise.eccentric-wrist-extension", "Eccentric wrist extension", "sets 3, reps 15"),
    ]


def test_it_gives_one_phase_when_asked(kb: Knowledge) -> None:
    assert [p.phase for p in plan(LATERAL, kb, phase=2).phases] == [2]


def test_it_copes_with_a_condition_without_management_or_rehab(kb: Knowledge) -> None:
    suggestion = plan("condition.medial-elbow-tendinopathy", kb)
    assert (suggestion.techniques, suggestion.phases, suggestion.advice) == ((), (), "")


@pytest.mark.parametrize(
    ("condition", "phase", "key"),
    [("condition.golfers-elbow", None, "condition"), (LATERAL, 3, "phase")],
)
def test_it_refuses_unknown_conditions_and_phases(
    kb: Knowledge, condition: str, phase: int | None, key: str
) -> None:
    with pytest.raises(CaseError) as raised:
        plan(condition, kb, phase=phase)
    assert raised.value.key == key

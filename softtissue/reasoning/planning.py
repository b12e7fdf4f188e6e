"""Treatment plans: a condition's techniques checked for scope, and its phased rehab."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.contraindications import contraindications
from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import PlanRequest, TherapistFacts
from softtissue.reasoning.findings import Findings
from softtissue.reasoning.scope import ScopeDecision, scope

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge


@dataclass(frozen=True, slots=True)
class PlannedTechnique:
    """A suggested technique, its scope outcome for this therapist and what limits it."""

    technique: str
    name: str
    outcome: str | None
    reason: str | None
    contraindications: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """An exercise in a rehab phase with its dosage."""

    exercise: str
    name: str
    dosage: str


@dataclass(frozen=True, slots=True)
class RehabPhase:
    """One phase of rehab with its goals, exercises and the criteria to progress."""

    phase: int
    name: str
    goals: str
    exercises: tuple[PlannedExercise, ...]
    progress_when: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanSuggestion:
    """Suggested techniques and rehab phases for a condition."""

    condition: str
    name: str
    advice: str
    techniques: tuple[PlannedTechnique, ...]
    phases: tuple[RehabPhase, ...]
    scope: ScopeDecision | None


def plan(
    condition_id: str,
    kb: Knowledge,
    phase: int | None = None,
    therapist: TherapistFacts | None = None,
    findings: Findings | None = None,
) -> PlanSuggestion:
    """The condition's techniques (with scope and contraindications) and its rehab phases."""
    entry = kb.conditions.get(condition_id)
    if entry is None:
        raise CaseError("<input>", "condition", f"unknown condition id {condition_id!r}")
    management = entry.get("management") or {}
    techniques = tuple(management.get("techniques", ()))
    findings = findings or {}
    decision = None
    if therapist is not None:
        request = PlanRequest(condition=condition_id, techniques=techniques)
        decision = scope(therapist, request, kb, findings)
    items = {item.subject: item for item in decision.items} if decision else {}
    hits = [h for h in contraindications(findings, kb, techniques) if h.relevant]
    planned = tuple(
        PlannedTechnique(
            technique=technique,
            name=kb.techniques[technique]["name"],
            outcome=items[technique].outcome if technique in items else None,
            reason=items[technique].reason if technique in items else None,
            contraindications=tuple(h.id for h in hits if technique in h.techniques),
        )
        for technique in techniques
    )
    phases = tuple(
        _phase(raw, kb) for raw in entry.get("rehab") or () if phase in (None, raw["phase"])
    )
    if phase is not None and not phases:
        raise CaseError("<input>", "phase", f"{condition_id} has no rehab phase {phase}")
    return PlanSuggestion(
        condition=condition_id,
        name=entry["name"],
        advice=management.get("advice", ""),
        techniques=planned,
        phases=phases,
        scope=decision,
    )


def _phase(raw: Mapping[str, object], kb: Knowledge) -> RehabPhase:
    exercises = []
    raw_exercises = raw.get("exercises") or ()
    assert isinstance(raw_exercises, list | tuple)
    for item in raw_exercises:
        assert isinstance(item, Mapping)
        exercise = kb.exercises[item["exercise"]]
        dosage = item.get("dosage") or dosage_text(exercise["dosage"])
        exercises.append(PlannedExercise(exercise["id"], exercise["name"], str(dosage)))
    progress = raw.get("progress_when") or ()
    assert isinstance(progress, list | tuple)
    return RehabPhase(
        phase=int(str(raw["phase"])),
        name=str(raw["name"]),
        goals=str(raw.get("goals", "")),
        exercises=tuple(exercises),
        progress_when=tuple(str(p) for p in progress),
    )


def dosage_text(dosage: Mapping[str, object]) -> str:
    """A starting dosage as one line, e.g. "sets 3, reps 12, frequency daily"."""
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in dosage.items())

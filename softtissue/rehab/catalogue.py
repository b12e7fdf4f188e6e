"""The knowledge base's exercises as the rehab pages show them, and the condition's phases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from softtissue.reasoning import CaseError, default_knowledge, plan
from softtissue.reasoning.planning import RehabPhase, dosage_text

PURPOSES = {
    "mobility": "Mobility",
    "stretch": "Stretch",
    "strength": "Strength",
    "motor_control": "Motor control",
    "plyometric": "Plyometric",
}


@dataclass(frozen=True, slots=True)
class Exercise:
    """An exercise from the knowledge base, in the words a client reads."""

    id: str
    name: str
    region: str
    region_label: str
    purpose: str
    dosage: str
    instructions: str
    equipment: tuple[str, ...]

    @property
    def purpose_label(self) -> str:
        return PURPOSES.get(self.purpose, self.purpose)


@cache
def exercises() -> Mapping[str, Exercise]:
    """Every exercise in the knowledge base, by id, sorted by name."""
    kb = default_knowledge()
    found = []
    for entry in kb.exercises.values():
        region = str(entry.get("region", ""))
        region_entry = kb.regions.get(region)
        found.append(
            Exercise(
                id=str(entry["id"]),
                name=str(entry["name"]),
                region=region,
                region_label=str(region_entry["label"]) if region_entry else region,
                purpose=str(entry.get("purpose", "")),
                dosage=dosage_text(entry.get("dosage") or {}),
                instructions=str(entry.get("instructions", "")).strip(),
                equipment=tuple(str(item) for item in entry.get("equipment") or ()),
            )
        )
    return {exercise.id: exercise for exercise in sorted(found, key=lambda e: e.name.lower())}


@cache
def regions() -> Mapping[str, str]:
    """Regions that have exercises, id to label, in label order."""
    pairs = {e.region: e.region_label for e in exercises().values()}
    return dict(sorted(pairs.items(), key=lambda pair: pair[1]))


def search(region: str = "", purpose: str = "", text: str = "") -> list[Exercise]:
    """Exercises matching every filter given (an empty filter matches all)."""
    words = text.lower().split()
    return [
        exercise
        for exercise in exercises().values()
        if (not region or exercise.region == region)
        and (not purpose or exercise.purpose == purpose)
        and all(word in exercise.name.lower() for word in words)
    ]


def rehab_phases(condition_id: str) -> tuple[RehabPhase, ...]:
    """The condition's rehab phases from the reasoning core; none for no or an unknown condition."""
    if not condition_id:
        return ()
    try:
        return plan(condition_id, default_knowledge()).phases
    except CaseError:
        return ()

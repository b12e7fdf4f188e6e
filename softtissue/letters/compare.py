"""The first and the latest assessment of an episode, side by side."""

from __future__ import annotations

from dataclasses import dataclass

from softtissue.assessments.models import Assessment, BodyChartMark, Episode
from softtissue.assessments.panel import Records, load_records
from softtissue.assessments.questions import kb, movement_labels
from softtissue.outcomes.services import Progress, progress
from softtissue.reasoning.motion import Deficit


@dataclass(frozen=True, slots=True)
class Reading:
    """One measurement on one side at one assessment, with its deficit."""

    degrees: int
    painful: bool
    deficit: Deficit | None


@dataclass(frozen=True, slots=True)
class MotionRow:
    """A movement and side, as measured first and latest."""

    label: str
    side: str
    first: Reading | None
    latest: Reading | None


@dataclass(frozen=True, slots=True)
class TestRow:
    """A special test's result first and latest ("" when not done)."""

    name: str
    first: str
    latest: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the comparison page shows."""

    first: Assessment | None
    latest: Assessment | None
    motion: list[MotionRow]
    tests: list[TestRow]
    first_marks: list[str]
    latest_marks: list[str]
    outcomes: list[Progress]

    @property
    def comparable(self) -> bool:
        """True when there are two different assessments to compare."""
        return self.first is not None and self.latest is not None and self.first != self.latest


def describe_mark(mark: BodyChartMark) -> str:
    """A body-chart mark in words."""
    return (
        f"{mark.get_symptom_display()} at the {mark.area.replace('-', ' ')} "
        f"({mark.get_side_display().lower()}), {mark.intensity}/10, "
        f"{mark.get_depth_display().lower()}"
    )


def _readings(records: Records | None) -> dict[tuple[str, str], Reading]:
    if records is None:
        return {}
    deficits = records.deficits()
    return {
        (m.movement_id, m.side): Reading(
            m.degrees, m.painful, deficits.get((m.movement_id, m.side))
        )
        for m in records.movements
    }


def _results(records: Records | None) -> dict[str, str]:
    if records is None:
        return {}
    return {t.test_id: t.get_result_display() for t in records.tests}


def compare(episode: Episode) -> Comparison:
    """The episode's first and latest assessments, their measurements and outcome progress."""
    ordered = Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode).order_by(
        "started_at", "pk"
    )
    first = ordered.first()
    latest = ordered.last()
    first_records = load_records(first) if first is not None else None
    latest_records = load_records(latest) if latest is not None and latest != first else None
    first_readings, latest_readings = _readings(first_records), _readings(latest_records)
    labels = movement_labels()
    sides = {"left": "Left", "right": "Right", "centre": "Not sided"}
    motion = [
        MotionRow(
            labels.get(movement, movement),
            sides.get(side, side),
            first_readings.get((movement, side)),
            latest_readings.get((movement, side)),
        )
        for movement, side in sorted(set(first_readings) | set(latest_readings))
    ]
    first_results, latest_results = _results(first_records), _results(latest_records)
    tests = kb().special_tests
    test_rows = [
        TestRow(
            str(tests[t]["name"]) if t in tests else t,
            first_results.get(t, ""),
            latest_results.get(t, ""),
        )
        for t in sorted(set(first_results) | set(latest_results))
    ]
    return Comparison(
        first=first,
        latest=latest if latest != first else None,
        motion=motion,
        tests=test_rows,
        first_marks=[describe_mark(m) for m in first_records.marks] if first_records else [],
        latest_marks=[describe_mark(m) for m in latest_records.marks] if latest_records else [],
        outcomes=progress(episode),
    )

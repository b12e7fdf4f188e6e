"""Range-of-motion deficits: below the published normal, or well below the other side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# [PROJECT] A side more than 10 degrees short of the other side is flagged even when both sides
# are within the normal value: the uninvolved side is the client's own norm (docs/assessment.md).
SIDE_DIFFERENCE_DEGREES = 10


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured movement on one side."""

    movement_id: str
    side: str
    degrees: int


@dataclass(frozen=True, slots=True)
class Deficit:
    """Why a measurement is flagged, in words, with the numbers it was compared with."""

    below_normal_by: int | None
    below_other_side_by: int | None

    @property
    def flagged(self) -> bool:
        """True when either comparison found a deficit."""
        return self.below_normal_by is not None or self.below_other_side_by is not None

    def describe(self) -> str:
        """Plain words for the page."""
        parts = []
        if self.below_normal_by is not None:
            parts.append(f"{self.below_normal_by}° below normal")
        if self.below_other_side_by is not None:
            parts.append(f"{self.below_other_side_by}° less than the other side")
        return "; ".join(parts)


def deficit(measurement: Measurement, normal: int | None, other_side: int | None) -> Deficit:
    """Compare one measurement with the normal value and with the other side, if measured."""
    below_normal = None
    if normal is not None and measurement.degrees < normal:
        below_normal = normal - measurement.degrees
    below_other = None
    if other_side is not None and other_side - measurement.degrees > SIDE_DIFFERENCE_DEGREES:
        below_other = other_side - measurement.degrees
    return Deficit(below_normal, below_other)


def deficits(
    measurements: Iterable[Measurement], normals: Mapping[str, int]
) -> dict[tuple[str, str], Deficit]:
    """Each (movement id, side) measured -> its deficit."""
    rows = list(measurements)
    by_key = {(m.movement_id, m.side): m.degrees for m in rows}
    other = {"left": "right", "right": "left"}
    result: dict[tuple[str, str], Deficit] = {}
    for m in rows:
        opposite = other.get(m.side)
        other_degrees = by_key.get((m.movement_id, opposite)) if opposite else None
        result[(m.movement_id, m.side)] = deficit(m, normals.get(m.movement_id), other_degrees)
    return result

"""change(): the difference between two scores judged against the measure's named threshold."""

from __future__ import annotations

from collections.abc import Mapping

from softtissue.reasoning.measures.common import EPSILON
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Change, Score
from softtissue.reasoning.measures.scoring import find_measure

# Measures with no total, whose MCID applies to each subscale.
SUBSCALE_JUDGED = {"koos"}


def change(
    measure_id: str,
    before: Score,
    after: Score,
    definitions: Mapping[str, MeasureDefinition],
) -> Change:
    """Improvement from before to after; important only when it reaches the MCID and the MDC."""
    definition = find_measure(measure_id, definitions)
    if definition.key not in SUBSCALE_JUDGED:
        return _judge(definition, before.score, after.score)
    subscales = {
        name: _judge(definition, sub.score, after.subscales[name].score)
        for name, sub in before.subscales.items()
    }
    return _not_judged(definition, "judged per subscale: this measure has no total", subscales)


def _not_judged(
    definition: MeasureDefinition,
    reason: str,
    subscales: dict[str, Change] | None = None,
    difference: float | None = None,
    relative: float | None = None,
    beyond_mdc: bool | None = None,
) -> Change:
    return Change(
        measure=definition.key,
        difference=difference,
        relative=relative,
        judged=False,
        important=False,
        beyond_mdc=beyond_mdc,
        criterion=None,
        reason=reason,
        subscales=subscales or {},
    )


def _judge(definition: MeasureDefinition, before: float | None, after: float | None) -> Change:
    if before is None or after is None:
        return _not_judged(definition, "not judged: both scores must be scorable")
    difference = before - after if definition.direction == "higher_is_worse" else after - before
    relative = difference / abs(before) if before else None
    mcid, mdc = definition.mcid, definition.mdc
    beyond_mdc = None if mdc is None else difference >= mdc.value - EPSILON
    if mcid is None:
        return _not_judged(
            definition,
            "not judged: no published minimal important change for this measure",
            difference=difference,
            relative=relative,
            beyond_mdc=beyond_mdc,
        )
    important = difference >= mcid.value - EPSILON and beyond_mdc is not False
    if mcid.relative_percent is not None:
        # NPRS: the percentage must be reached too; from a starting score of 0 it cannot be.
        reached = relative is not None and relative * 100 >= mcid.relative_percent - EPSILON
        important = important and reached
    return Change(
        measure=definition.key,
        difference=difference,
        relative=relative,
        judged=True,
        important=important,
        beyond_mdc=beyond_mdc,
        criterion=mcid.criterion,
        reason=None,
    )

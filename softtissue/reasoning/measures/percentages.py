"""Measures scored as a percentage of the points possible: ODI, QuickDASH and SPADI."""

from __future__ import annotations

from softtissue.reasoning.measures.answers import Answers
from softtissue.reasoning.measures.common import (
    answered,
    percent_of_maximum,
    scored,
    subscale_percent,
    too_few,
    unscorable,
)
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Score


def score_percent(definition: MeasureDefinition, answers: Answers) -> Score:
    """Points over points possible on the answered items, x 100 (ODI, QuickDASH and modules)."""
    count = len(definition.items)
    pairs = answered(definition, answers, range(1, count + 1))
    if len(pairs) < definition.min_answered:
        return unscorable(
            definition, too_few(definition.name, len(pairs), definition.min_answered, count)
        )
    return scored(definition, percent_of_maximum(pairs))


def score_spadi(definition: MeasureDefinition, answers: Answers) -> Score:
    """Pain and disability percentages, and a total over every answered item (the /130 rule)."""
    subscales = {
        sub.name: subscale_percent(definition, sub, answers, invert=False)
        for sub in definition.subscales
    }
    failed = [sub.reason for sub in subscales.values() if not sub.scorable]
    if failed:
        return unscorable(definition, "; ".join(str(reason) for reason in failed), subscales)
    pairs = answered(definition, answers, range(1, len(definition.items) + 1))
    return scored(definition, percent_of_maximum(pairs), subscales)

"""Measures scored as a sum or mean of items: NPRS, PSFS, NDI, LEFS, TSK, PSEQ, ÖMPSQ, GRC."""

from __future__ import annotations

from softtissue.reasoning.measures.answers import Answers
from softtissue.reasoning.measures.common import (
    answered,
    prorated_sum,
    scored,
    too_few,
    unscorable,
)
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Score


def score_sum(definition: MeasureDefinition, answers: Answers) -> Score:
    """Sum of the items (reverse-scored where marked), prorated where missing items are allowed."""
    count = len(definition.items)
    pairs = answered(definition, answers, range(1, count + 1))
    if len(pairs) < definition.min_answered:
        return unscorable(
            definition, too_few(definition.name, len(pairs), definition.min_answered, count)
        )
    return scored(definition, prorated_sum(pairs, count))


def score_mean(definition: MeasureDefinition, answers: Answers) -> Score:
    """Mean of the items rated, over the positions given (PSFS activities)."""
    pairs = answered(definition, answers, range(1, len(answers) + 1))
    if len(pairs) < definition.min_answered:
        return unscorable(
            definition,
            too_few(definition.name, len(pairs), definition.min_answered, len(answers)),
        )
    return scored(definition, sum(answer for _, answer in pairs) / len(pairs))

"""KOOS and KOOS-12: subscales scored 0 (extreme problems) to 100 (no problems)."""

from __future__ import annotations

from statistics import fmean

from softtissue.reasoning.measures.answers import Answers
from softtissue.reasoning.measures.common import scored, subscale_percent, unscorable
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Score


def score_koos(definition: MeasureDefinition, answers: Answers) -> Score:
    """Five subscales; the KOOS has no total, so the top-level score is always empty."""
    subscales = {
        sub.name: subscale_percent(definition, sub, answers, invert=True)
        for sub in definition.subscales
    }
    any_scored = any(sub.scorable for sub in subscales.values())
    reason = "KOOS has no total score; read the five subscales"
    return Score(definition.key, None, any_scored, None, reason, subscales)


def score_koos12(definition: MeasureDefinition, answers: Answers) -> Score:
    """Three scales; the summary impact score is their mean when all three can be scored."""
    subscales = {
        sub.name: subscale_percent(definition, sub, answers, invert=True)
        for sub in definition.subscales
    }
    values = [sub.score for sub in subscales.values() if sub.score is not None]
    if len(values) < len(subscales):
        failed = "; ".join(str(sub.reason) for sub in subscales.values() if not sub.scorable)
        return unscorable(definition, f"summary needs all three scales: {failed}", subscales)
    return scored(definition, fmean(values), subscales)

"""Keele STarT Back: nine items dichotomised, a total and a psychosocial subscale."""

from __future__ import annotations

from softtissue.reasoning.measures.answers import Answers
from softtissue.reasoning.measures.common import too_few, unscorable
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Score, SubScore

# Item 9 (bothersomeness) counts only when the answer is "very much" (3) or "extremely" (4).
BOTHERSOME_FROM = 3
LOW_RISK_MAX_TOTAL = 3
HIGH_RISK_MIN_PSYCHOSOCIAL = 4


def score_start_back(definition: MeasureDefinition, answers: Answers) -> Score:
    """Total 0-9 and psychosocial 5-9 subscore; the band is the Keele risk group."""
    present = [value for value in answers if value is not None]
    if len(present) < definition.min_answered:
        reason = too_few(definition.name, len(present), definition.min_answered, len(answers))
        empty = SubScore(None, False, None, reason)
        return unscorable(definition, reason, {"total": empty, "psychosocial": empty})
    points = [*present[:8], 1 if present[8] >= BOTHERSOME_FROM else 0]
    total = sum(points)
    psychosocial = sum(points[4:])
    if total <= LOW_RISK_MAX_TOTAL:
        band = definition.bands[0].label
    elif psychosocial >= HIGH_RISK_MIN_PSYCHOSOCIAL:
        band = definition.bands[2].label
    else:
        band = definition.bands[1].label
    subscales = {
        "total": SubScore(float(total), True, None, None),
        "psychosocial": SubScore(float(psychosocial), True, None, None),
    }
    return Score(definition.key, float(total), True, band, None, subscales)

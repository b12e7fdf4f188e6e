"""score(): check the answers, then apply the measure's published scoring rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from softtissue.reasoning.measures.answers import Answers, UnknownMeasureError, check_answers
from softtissue.reasoning.measures.knee import score_koos, score_koos12
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.percentages import score_percent, score_spadi
from softtissue.reasoning.measures.results import Score
from softtissue.reasoning.measures.screening import score_start_back
from softtissue.reasoning.measures.tendons import score_visa
from softtissue.reasoning.measures.totals import score_mean, score_sum

Scorer = Callable[[MeasureDefinition, Answers], Score]

SCORERS: dict[str, Scorer] = {
    "nprs": score_sum,
    "psfs": score_mean,
    "odi": score_percent,
    "ndi": score_sum,
    "quickdash": score_percent,
    "quickdash_work": score_percent,
    "quickdash_sport": score_percent,
    "lefs": score_sum,
    "koos": score_koos,
    "koos12": score_koos12,
    "visa_a": score_visa,
    "visa_p": score_visa,
    "spadi": score_spadi,
    "start_back": score_start_back,
    "orebro_sf": score_sum,
    "tsk11": score_sum,
    "tsk17": score_sum,
    "pseq": score_sum,
    "grc": score_sum,
}


def find_measure(
    measure_id: str, definitions: Mapping[str, MeasureDefinition]
) -> MeasureDefinition:
    """The definition for a short id (`odi`) or a full id (`measure.odi`)."""
    key = measure_id.removeprefix("measure.")
    if key not in definitions or key not in SCORERS:
        raise UnknownMeasureError(measure_id, sorted(definitions))
    return definitions[key]


def score(
    measure_id: str,
    answers: Sequence[int | float | None],
    definitions: Mapping[str, MeasureDefinition],
) -> Score:
    """The measure's score from answers in official item order; None marks a missing item."""
    definition = find_measure(measure_id, definitions)
    return SCORERS[definition.key](definition, check_answers(definition, answers))

"""Outcome measures: published scoring, missing-item rules, bands and change, as pure functions."""

from softtissue.reasoning.measures.answers import AnswerError, UnknownMeasureError
from softtissue.reasoning.measures.change import change
from softtissue.reasoning.measures.loading import load_measures
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Change, Score, SubScore
from softtissue.reasoning.measures.scoring import score

__all__ = [
    "AnswerError",
    "Change",
    "MeasureDefinition",
    "Score",
    "SubScore",
    "UnknownMeasureError",
    "change",
    "load_measures",
    "score",
]

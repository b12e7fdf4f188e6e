"""VISA-A and VISA-P: questions 1-7, then exactly one of the three parts of question 8."""

from __future__ import annotations

from softtissue.reasoning.measures.answers import AnswerError, Answers
from softtissue.reasoning.measures.common import scored, too_few, unscorable
from softtissue.reasoning.measures.model import MeasureDefinition
from softtissue.reasoning.measures.results import Score

QUESTION_8_PARTS = (8, 9, 10)


def score_visa(definition: MeasureDefinition, answers: Answers) -> Score:
    """Sum of questions 1-7 and the one part of question 8 the client answered."""
    part_answers = [answers[number - 1] for number in QUESTION_8_PARTS]
    given = [value for value in part_answers if value is not None]
    if len(given) > 1:
        raise AnswerError(
            f"{definition.key}: answer only one of items 8A, 8B and 8C (positions 8-10); "
            "mark the other two with -"
        )
    questions = [*answers[:7], given[0] if given else None]
    present = [value for value in questions if value is not None]
    if len(present) < definition.min_answered:
        return unscorable(
            definition,
            too_few(definition.name, len(present), definition.min_answered, len(questions)),
        )
    return scored(definition, float(sum(present)))

"""Checking an answer line against a measure's items before it is scored."""

from __future__ import annotations

from collections.abc import Sequence

from softtissue.reasoning.measures.model import MeasureDefinition

Answers = tuple[int | None, ...]


class AnswerError(ValueError):
    """An answer line does not fit the measure: wrong length or a value the item does not allow."""


class UnknownMeasureError(LookupError):
    """No measure has this id."""

    def __init__(self, measure_id: str, known: Sequence[str]) -> None:
        self.measure_id = measure_id
        super().__init__(f"unknown measure '{measure_id}'; known measures: {', '.join(known)}")

    def __str__(self) -> str:
        return str(self.args[0])


def check_answers(definition: MeasureDefinition, answers: Sequence[int | float | None]) -> Answers:
    """The answers as whole numbers, or AnswerError naming the first item that does not fit."""
    count = len(definition.items)
    if not definition.min_items <= len(answers) <= count:
        expected = (
            str(count) if definition.min_items == count else f"{definition.min_items} to {count}"
        )
        raise AnswerError(f"{definition.key}: expected {expected} answers, got {len(answers)}")
    checked: list[int | None] = []
    for item, answer in zip(definition.items, answers, strict=False):
        if answer is None:
            checked.append(None)
            continue
        whole = _whole(answer)
        if whole is None or whole not in item.allowed:
            name = f"item {item.number}"
            if item.code != str(item.number):
                name += f" ({item.code})"
            raise AnswerError(
                f"{definition.key}: {name} must be one of {item.describe_allowed()}, got {answer}"
            )
        checked.append(whole)
    return tuple(checked)


def _whole(answer: int | float) -> int | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int):
        return answer
    return int(answer) if float(answer).is_integer() else None

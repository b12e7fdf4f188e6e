"""Arithmetic and wording shared by every measure family."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from softtissue.reasoning.measures.answers import Answers
from softtissue.reasoning.measures.model import Band, Item, MeasureDefinition, Subscale
from softtissue.reasoning.measures.results import Score, SubScore

# Scores are built from sums and divisions; this absorbs float noise at band and threshold edges.
EPSILON = 1e-9


def item_value(item: Item, answer: int) -> int:
    """The answer as it counts towards the score, reversed where the item is reverse-scored."""
    if item.reverse:
        return item.allowed[0] + item.allowed[-1] - answer
    return answer


def answered(
    definition: MeasureDefinition, answers: Answers, numbers: Iterable[int]
) -> list[tuple[Item, int]]:
    """The answered items among these item numbers, with their answers."""
    pairs = []
    for number in numbers:
        answer = answers[number - 1] if number <= len(answers) else None
        if answer is not None:
            pairs.append((definition.items[number - 1], answer))
    return pairs


def percent_of_maximum(pairs: list[tuple[Item, int]]) -> float:
    """Points scored over points possible on the answered items, as a percentage."""
    scored = sum(item_value(item, answer) - item.allowed[0] for item, answer in pairs)
    possible = sum(item.allowed[-1] - item.allowed[0] for item, _ in pairs)
    return scored / possible * 100


def prorated_sum(pairs: list[tuple[Item, int]], item_count: int) -> float:
    """The sum of the answered items scaled up to the full item count (mean substitution)."""
    total = sum(item_value(item, answer) for item, answer in pairs)
    return total * item_count / len(pairs)


def too_few(label: str, answered_count: int, needed: int, total: int) -> str:
    """Why a form or subscale cannot be scored."""
    missing = total - answered_count
    return (
        f"{label}: {missing} of {total} items missing; at least {needed} must be answered "
        f"(at most {total - needed} missing)"
    )


def band_for(bands: tuple[Band, ...], value: float) -> str | None:
    """The band whose inclusive upper edge first reaches the unrounded value."""
    for band in bands:
        if band.upper is None or value <= band.upper + EPSILON:
            return band.label
    return None


def scored(
    definition: MeasureDefinition,
    value: float,
    subscales: Mapping[str, SubScore] | None = None,
) -> Score:
    """A scorable result with its band."""
    return Score(
        measure=definition.key,
        score=value,
        scorable=True,
        band=band_for(definition.bands, value),
        reason=None,
        subscales=dict(subscales or {}),
    )


def unscorable(
    definition: MeasureDefinition,
    reason: str,
    subscales: Mapping[str, SubScore] | None = None,
) -> Score:
    """A result with no score and the reason why."""
    return Score(definition.key, None, False, None, reason, dict(subscales or {}))


def subscale_percent(
    definition: MeasureDefinition, subscale: Subscale, answers: Answers, *, invert: bool
) -> SubScore:
    """A subscale as a percentage of its maximum; inverted when 100 means no problems."""
    pairs = answered(definition, answers, subscale.items)
    if len(pairs) < subscale.min_answered:
        reason = too_few(subscale.label, len(pairs), subscale.min_answered, len(subscale.items))
        return SubScore(None, False, None, reason)
    percent = percent_of_maximum(pairs)
    return SubScore(100 - percent if invert else percent, True, None, None)

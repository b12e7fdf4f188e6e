"""Properties every measure keeps: scores stay in range, and a worse answer never scores better."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import softtissue
from softtissue.reasoning.measures import MeasureDefinition, Score, load_measures, score

MEASURES_DIR = Path(softtissue.__file__).parent / "knowledge" / "measures"
VISA = {"visa_a", "visa_p"}
QUESTION_8 = (7, 8, 9)  # zero-based positions of 8A, 8B and 8C


@cache
def definitions() -> dict[str, MeasureDefinition]:
    return load_measures(MEASURES_DIR)


MEASURES = sorted(definitions())


@st.composite
def answer_lines(draw: st.DrawFn, measure: str) -> list[int | None]:
    """A valid answer line for the measure, with some items left missing."""
    definition = definitions()[measure]
    length = draw(st.integers(definition.min_items, len(definition.items)))
    answers: list[int | None] = [
        draw(st.none() | st.sampled_from(item.allowed)) for item in definition.items[:length]
    ]
    if measure in VISA:
        chosen = draw(st.sampled_from(QUESTION_8))
        for position in QUESTION_8:
            if position != chosen:
                answers[position] = None
    return answers


def values(result: Score) -> list[tuple[float, float, float]]:
    """Each scorable number with the range it must stay in."""
    definition = definitions()[result.measure]
    found = []
    if result.score is not None:
        found.append((result.score, definition.range_min, definition.range_max))
    for sub in definition.subscales:
        value = result.subscales[sub.name].score
        if value is not None:
            found.append((value, sub.range_min, sub.range_max))
    return found


@pytest.mark.parametrize("measure", MEASURES)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_it_keeps_every_score_inside_the_published_range(measure, data):
    answers = data.draw(answer_lines(measure))
    result = score(measure, answers, definitions())
    if result.scorable and measure != "koos":
        assert result.score is not None
    if not result.scorable:
        assert result.score is None
        assert result.reason
    for value, low, high in values(result):
        assert low - 1e-9 <= value <= high + 1e-9


@pytest.mark.parametrize("measure", MEASURES)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_it_never_scores_a_worse_answer_as_better(measure, data):
    definition = definitions()[measure]
    answers = data.draw(answer_lines(measure))
    answered = [index for index, value in enumerate(answers) if value is not None]
    if not answered:
        return
    index = data.draw(st.sampled_from(answered))
    item = definition.items[index]
    low, high = sorted(data.draw(st.lists(st.sampled_from(item.allowed), min_size=2, max_size=2)))
    # The worse of the two answers, by the item's own sense.
    worse, better = (high, low) if item.higher_means == "worse" else (low, high)
    kb = definitions()
    with_worse = score(measure, [*answers[:index], worse, *answers[index + 1 :]], kb)
    with_better = score(measure, [*answers[:index], better, *answers[index + 1 :]], kb)
    sign = 1 if definition.direction == "higher_is_worse" else -1
    for (worse_value, _, _), (better_value, _, _) in zip(
        values(with_worse), values(with_better), strict=True
    ):
        assert sign * worse_value >= sign * better_value - 1e-9


def test_it_prints_the_json_contract_shape():
    result = score("spadi", [5] * 5 + [4] * 8, definitions())
    shape = result.as_json()
    assert list(shape) == ["measure", "score", "scorable", "band", "reason", "subscales"]
    assert shape["subscales"] == {
        "pain": {"score": 50.0, "scorable": True, "band": None, "reason": None},
        "disability": {"score": 40.0, "scorable": True, "band": None, "reason": None},
    }
    assert score("nprs", [4], definitions()).as_json()["subscales"] == {}

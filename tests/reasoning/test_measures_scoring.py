"""Published worked examples, band edges and missing-item limits for every outcome measure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

import softtissue
from softtissue.reasoning.measures import (
    AnswerError,
    MeasureDefinition,
    UnknownMeasureError,
    load_measures,
    score,
)

MEASURES_DIR = Path(softtissue.__file__).parent / "knowledge" / "measures"
NA: None = None  # a missing item


@cache
def definitions() -> dict[str, MeasureDefinition]:
    return load_measures(MEASURES_DIR)


def scored(measure: str, answers: Sequence[int | float | None]) -> float | None:
    return score(measure, answers, definitions()).score


CONTRACT_MEASURES = [
    "nprs",
    "psfs",
    "odi",
    "ndi",
    "quickdash",
    "quickdash_work",
    "quickdash_sport",
    "lefs",
    "koos",
    "koos12",
    "visa_a",
    "visa_p",
    "spadi",
    "start_back",
    "orebro_sf",
    "tsk11",
    "tsk17",
    "pseq",
    "grc",
]


def test_it_loads_every_measure_the_contract_names():
    assert sorted(definitions()) == sorted(CONTRACT_MEASURES)


@pytest.mark.parametrize(
    ("measure", "answers", "expected"),
    [
        ("nprs", [7], 7.0),
        ("psfs", [4, 6, 8], 6.0),
        ("psfs", [4, 6, 8, 10, NA], 7.0),
        ("psfs", [3, NA, 5], 4.0),
        ("odi", [2, 1, 3, 2, 1, 2, 1, 0, 2, 2], 32.0),
        # Fairbank sheet: 16/45 x 100, printed (truncated) as 35.5
        ("odi", [2, 1, 3, 2, 1, 2, 1, NA, 2, 2], 16 / 45 * 100),
        ("ndi", [1, 2, 1, 1, 2, 0, 1, 1, 2, 1], 12.0),
        ("ndi", [1, 2, 1, 1, 2, 0, 1, 1, 2, NA], 11 * 10 / 9),
        ("quickdash", [3] * 11, 50.0),
        ("quickdash", [1] * 11, 0.0),
        ("quickdash", [5] * 11, 100.0),
        ("quickdash", [2] * 10 + [NA], 25.0),
        ("quickdash", [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 3], (33 / 11 - 1) * 25),
        ("quickdash_work", [2, 3, 4, 5], (14 / 4 - 1) * 25),
        ("quickdash_sport", [1, 1, 1, 1], 0.0),
        ("lefs", [4] * 20, 80.0),
        ("lefs", [2] * 20, 40.0),
        ("visa_a", [10] * 7 + [30, NA, NA], 100.0),
        ("visa_a", [5, 6, 7, 8, 9, 10, 4, NA, 14, NA], 63.0),
        ("visa_p", [0] * 7 + [NA, NA, 0], 0.0),
        ("visa_p", [3, 3, 3, 3, 3, 3, 7, NA, NA, 5], 30.0),
        ("spadi", [5] * 5 + [4] * 8, 57 / 130 * 100),
        ("orebro_sf", [1, 0, 10, 10, 0, 0, 0, 10, 0, 0], 1.0),
        ("orebro_sf", [10, 10, 0, 0, 10, 10, 10, 0, 10, 10], 100.0),
        ("orebro_sf", [3, 5, 6, 4, 5, 2, 6, 7, 8, 5], 3 + 5 + 4 + 6 + 5 + 2 + 6 + 3 + 8 + 5),
        ("tsk17", [1, 1, 1, 4, 1, 1, 1, 4, 1, 1, 1, 4, 1, 1, 1, 4, 1], 17.0),
        ("tsk17", [4, 4, 4, 1, 4, 4, 4, 1, 4, 4, 4, 1, 4, 4, 4, 1, 4], 68.0),
        ("tsk17", [2] * 17, 13 * 2 + 4 * 3),
        ("tsk11", [1] * 11, 11.0),
        ("tsk11", [4] * 11, 44.0),
        ("pseq", [6] * 10, 60.0),
        ("pseq", [3] * 10, 30.0),
        ("grc", [-7], -7.0),
        ("grc", [5], 5.0),
    ],
)
def test_it_scores_published_examples(measure, answers, expected):
    assert scored(measure, answers) == pytest.approx(expected)


def test_it_keeps_full_precision_for_the_odi_sheet_example():
    value = scored("odi", [2, 1, 3, 2, 1, 2, 1, NA, 2, 2])
    assert value is not None
    assert round(value, 2) == 35.56
    assert round(value, 1) == 35.6  # the sheet prints 35.5 because it truncates


def test_it_scores_spadi_total_over_130_not_the_mean_of_subscales():
    result = score("spadi", [5] * 5 + [4] * 8, definitions())
    assert result.subscales["pain"].score == pytest.approx(50.0)
    assert result.subscales["disability"].score == pytest.approx(40.0)
    assert round(result.score or 0, 2) == 43.85
    assert result.score != pytest.approx(45.0)  # the mean-of-subscales rule


@pytest.mark.parametrize(
    ("answers", "pain", "disability", "total"),
    [
        ([NA, 5, 5, 5, 5] + [4] * 8, 20 / 40 * 100, 40.0, 52 / 120 * 100),
        ([NA, NA, 5, 5, 5] + [4] * 8, 15 / 30 * 100, 40.0, 47 / 110 * 100),
        ([5] * 5 + [NA, NA, 4, 4, 4, 4, 4, 4], 50.0, 24 / 60 * 100, 49 / 110 * 100),
    ],
)
def test_it_drops_missing_spadi_items_from_the_denominator(answers, pain, disability, total):
    result = score("spadi", answers, definitions())
    assert result.subscales["pain"].score == pytest.approx(pain)
    assert result.subscales["disability"].score == pytest.approx(disability)
    assert result.score == pytest.approx(total)


@pytest.mark.parametrize(
    ("answers", "failing"),
    [
        ([NA, NA, NA, 5, 5] + [4] * 8, "pain"),
        ([5] * 5 + [NA, NA, NA, 4, 4, 4, 4, 4], "disability"),
    ],
)
def test_it_refuses_spadi_with_three_missing_in_a_subscale(answers, failing):
    result = score("spadi", answers, definitions())
    assert not result.scorable
    assert result.score is None
    assert not result.subscales[failing].scorable
    assert "3 of" in (result.reason or "")
    other = next(name for name in result.subscales if name != failing)
    assert result.subscales[other].scorable


TSK17_REVERSED = (4, 8, 12, 16)


def tsk17_answers(total: int) -> list[int | None]:
    """TSK-17 answers summing to `total` (17-56), raising only the forward-scored items."""
    answers: list[int | None] = [4 if n in TSK17_REVERSED else 1 for n in range(1, 18)]
    extra = total - 17
    for index in range(17):
        if index + 1 not in TSK17_REVERSED and extra:
            step = min(3, extra)
            answers[index] = 1 + step
            extra -= step
    return answers


@pytest.mark.parametrize(
    ("measure", "answers", "band"),
    [
        ("odi", [1] * 10, "minimal disability"),  # 20.0
        ("odi", [1] * 9 + [2], "moderate disability"),  # 22.0
        ("odi", [2] * 10, "moderate disability"),  # 40.0
        ("odi", [2] * 9 + [3], "severe disability"),  # 42.0
        ("odi", [3] * 10, "severe disability"),  # 60.0
        ("odi", [3] * 9 + [4], "crippled"),  # 62.0
        ("odi", [4] * 10, "crippled"),  # 80.0
        ("odi", [4] * 9 + [5], "bed-bound or exaggerating symptoms"),  # 82.0
        ("odi", [1] * 9 + [NA], "minimal disability"),  # 9/45 = 20.0
        ("odi", [1] * 8 + [2, NA], "moderate disability"),  # 10/45 = 22.2
        ("ndi", [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], "no disability"),  # 4
        ("ndi", [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], "mild disability"),  # 5
        ("ndi", [0, 0, 0, 0, 1, 1, 1, 1, NA, 0], "mild disability"),  # 4 x 10/9 = 4.44
        ("ndi", [2, 2, 2, 2, 2, 2, 2, 0, 0, 0], "mild disability"),  # 14
        ("ndi", [2, 2, 2, 2, 2, 2, 2, 1, 0, 0], "moderate disability"),  # 15
        ("ndi", [3, 3, 3, 3, 3, 3, 3, 3, 0, 0], "moderate disability"),  # 24
        ("ndi", [3, 3, 3, 3, 3, 3, 3, 3, 1, 0], "severe disability"),  # 25
        ("ndi", [4, 4, 4, 4, 4, 4, 4, 4, 2, 0], "severe disability"),  # 34
        ("ndi", [4, 4, 4, 4, 4, 4, 4, 4, 3, 0], "complete disability"),  # 35
        ("tsk17", tsk17_answers(37), "not high kinesiophobia"),
        ("tsk17", tsk17_answers(38), "high kinesiophobia"),
        ("orebro_sf", [4, 5, 5, 5, 5, 5, 5, 5, 5, 5], "below the cut-off (lower risk)"),  # 49
        ("orebro_sf", [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], "at or above the cut-off (higher risk)"),
        ("grc", [-7], "much worse"),
        ("grc", [-4], "much worse"),
        ("grc", [-3], "a little worse"),
        ("grc", [-2], "a little worse"),
        ("grc", [-1], "about the same"),
        ("grc", [0], "about the same"),
        ("grc", [1], "about the same"),
        ("grc", [2], "a little better"),
        ("grc", [3], "a little better"),
        ("grc", [4], "much better"),
        ("grc", [7], "much better"),
        ("nprs", [5], None),
    ],
)
def test_it_bands_at_every_edge(measure, answers, band):
    assert score(measure, answers, definitions()).band == band


@pytest.mark.parametrize(("total", "expected"), [(37, 37.0), (38, 38.0), (49, 49.0)])
def test_it_builds_tsk17_edge_answers_correctly(total, expected):
    assert scored("tsk17", tsk17_answers(total)) == expected


@pytest.mark.parametrize(
    ("measure", "answers", "scorable"),
    [
        ("nprs", [NA], False),
        ("psfs", [NA, NA, NA], False),
        ("psfs", [NA, NA, 7], True),
        ("odi", [1] * 9 + [NA], True),
        ("odi", [1] * 8 + [NA, NA], False),
        ("ndi", [1] * 9 + [NA], True),
        ("ndi", [NA, NA] + [1] * 8, False),
        ("quickdash", [2] * 10 + [NA], True),
        ("quickdash", [2] * 9 + [NA, NA], False),
        ("quickdash_work", [2, 3, 4, NA], False),
        ("quickdash_sport", [NA, 3, 4, 2], False),
        ("lefs", [4] * 20, True),
        ("lefs", [4] * 19 + [NA], False),
        ("visa_a", [10] * 7 + [NA, NA, NA], False),
        ("visa_a", [NA] + [10] * 6 + [30, NA, NA], False),
        ("visa_p", [10] * 7 + [NA, 20, NA], True),
        ("start_back", [1] * 8 + [NA], False),
        ("orebro_sf", [5] * 9 + [NA], False),
        ("tsk17", [2] * 16 + [NA], False),
        ("tsk11", [2] * 10 + [NA], False),
        ("pseq", [NA] + [3] * 9, False),
        ("grc", [NA], False),
    ],
)
def test_it_applies_each_missing_item_limit(measure, answers, scorable):
    result = score(measure, answers, definitions())
    assert result.scorable is scorable
    if not scorable:
        assert result.score is None  # never a 0 for a form that cannot be scored
        assert "missing" in (result.reason or "")


@pytest.mark.parametrize(
    ("subscale", "answered", "scorable"),
    [
        ("pain", 5, True),
        ("pain", 4, False),
        ("symptoms", 4, True),
        ("symptoms", 3, False),
        ("adl", 9, True),
        ("adl", 8, False),
        ("sport_rec", 3, True),
        ("sport_rec", 2, False),
        ("qol", 2, True),
        ("qol", 1, False),
    ],
)
def test_it_applies_the_koos_2012_half_rule(subscale, answered, scorable):
    spans = {
        "symptoms": (1, 7),
        "pain": (8, 16),
        "adl": (17, 33),
        "sport_rec": (34, 38),
        "qol": (39, 42),
    }
    first, last = spans[subscale]
    answers: list[int | None] = [2] * 42
    for offset, number in enumerate(range(first, last + 1)):
        if offset >= answered:
            answers[number - 1] = None
    result = score("koos", answers, definitions())
    assert result.subscales[subscale].scorable is scorable
    assert result.score is None
    if scorable:
        assert result.subscales[subscale].score == pytest.approx(50.0)


def test_it_scores_koos_subscales_in_official_order():
    answers = [0] * 7 + [4] * 9 + [1] * 17 + [3] * 5 + [2] * 4
    result = score("koos", answers, definitions())
    assert {name: sub.score for name, sub in result.subscales.items()} == {
        "pain": 0.0,
        "symptoms": 100.0,
        "adl": 75.0,
        "sport_rec": 25.0,
        "qol": 50.0,
    }
    assert result.scorable
    assert "no total" in (result.reason or "")


def test_it_marks_koos_unscorable_when_no_subscale_can_be_scored():
    result = score("koos", [NA] * 42, definitions())
    assert not result.scorable
    assert all(not sub.scorable for sub in result.subscales.values())


@pytest.mark.parametrize(
    ("answers", "summary", "scorable"),
    [
        ([0] * 4 + [2] * 4 + [4] * 4, 50.0, True),
        ([0, 0, NA, NA] + [2, 2, 2, NA] + [4] * 4, 50.0, True),
        ([0, NA, NA, NA] + [2] * 4 + [4] * 4, None, False),
    ],
)
def test_it_scores_koos12_scales_and_summary(answers, summary, scorable):
    result = score("koos12", answers, definitions())
    assert result.score == (None if summary is None else pytest.approx(summary))
    assert result.scorable is scorable
    assert result.subscales["function"].score == pytest.approx(50.0)
    if not scorable:
        assert "pain" in (result.reason or "").lower()


@pytest.mark.parametrize(
    ("answers", "total", "psychosocial", "band"),
    [
        ([0] * 9, 0, 0, "low risk"),
        ([1, 1, 1, 0, 0, 0, 0, 0, 2], 3, 0, "low risk"),
        ([1, 1, 0, 0, 0, 0, 0, 0, 3], 3, 1, "low risk"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 2], 4, 0, "medium risk"),
        ([1, 1, 0, 0, 1, 1, 1, 0, 0], 5, 3, "medium risk"),
        ([1, 0, 0, 0, 1, 1, 1, 0, 4], 5, 4, "high risk"),
        ([0, 0, 0, 0, 1, 1, 1, 1, 3], 5, 5, "high risk"),
        ([1] * 8 + [4], 9, 5, "high risk"),
    ],
)
def test_it_stratifies_start_back(answers, total, psychosocial, band):
    result = score("start_back", answers, definitions())
    assert result.score == total
    assert result.subscales["total"].score == total
    assert result.subscales["psychosocial"].score == psychosocial
    assert result.band == band


def test_it_keeps_start_back_subscales_when_unscorable():
    result = score("start_back", [1] * 8 + [NA], definitions())
    assert set(result.subscales) == {"total", "psychosocial"}
    assert not result.subscales["total"].scorable


@pytest.mark.parametrize(
    ("measure", "answers", "message"),
    [
        ("odi", [1] * 9, "expected 10 answers, got 9"),
        ("odi", [1] * 11, "expected 10 answers, got 11"),
        ("psfs", [1, 2], "expected 3 to 5 answers, got 2"),
        ("psfs", [1] * 6, "expected 3 to 5 answers, got 6"),
        ("odi", [1, 1, 6, 1, 1, 1, 1, 1, 1, 1], "item 3 must be one of 0 to 5, got 6"),
        ("odi", [1, 1, 2.5, 1, 1, 1, 1, 1, 1, 1], "item 3 must be one of 0 to 5, got 2.5"),
        ("odi", [True] + [1] * 9, "item 1 must be one of 0 to 5, got True"),
        ("visa_a", [5] * 6 + [5, NA, NA, NA], "item 7 must be one of 0, 4, 7, 10, got 5"),
        ("visa_a", [5] * 6 + [4, 7, 4, NA], "answer only one of items 8A, 8B and 8C"),
        ("start_back", [2] + [0] * 8, "item 1 must be one of 0, 1, got 2"),
        ("koos", [0] * 41 + [5], "item 42 (Q4) must be one of 0 to 4, got 5"),
        ("grc", [8], "item 1 must be one of -7 to 7, got 8"),
    ],
)
def test_it_refuses_answers_that_do_not_fit(measure, answers, message):
    with pytest.raises(AnswerError, match=re.escape(message)):
        score(measure, answers, definitions())


def test_it_accepts_whole_floats():
    assert scored("odi", [1.0] * 10) == pytest.approx(20.0)


@pytest.mark.parametrize("measure", ["nothing", "measure.nothing", "koos_ps"])
def test_it_refuses_unknown_measures(measure):
    with pytest.raises(UnknownMeasureError, match="unknown measure") as raised:
        score(measure, [1], definitions())
    assert "odi" in str(raised.value)


def test_it_accepts_the_full_measure_id():
    assert scored("measure.nprs", [3]) == 3.0

"""Change between two administrations, judged against each measure's named threshold."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

import softtissue
from softtissue.reasoning.measures import Change, MeasureDefinition, change, load_measures, score

MEASURES_DIR = Path(softtissue.__file__).parent / "knowledge" / "measures"
NA: None = None  # a missing item


@cache
def definitions() -> dict[str, MeasureDefinition]:
    return load_measures(MEASURES_DIR)


def judge(measure: str, before: Sequence[int | None], after: Sequence[int | None]) -> Change:
    kb = definitions()
    return change(measure, score(measure, before, kb), score(measure, after, kb), kb)


@pytest.mark.parametrize(
    ("before", "after", "difference", "important"),
    [
        (3, 1, 2, True),  # 2 points and 67%
        (6, 4, 2, True),  # 2 points and 33%
        (10, 8, 2, False),  # absolute against relative: 2 points but only 20%
        (7, 5, 2, False),  # 2 points but 28.6%
        (2, 1, 1, False),  # 50% but only 1 point
        (8, 3, 5, True),
        (4, 6, -2, False),  # worse
        (0, 0, 0, False),  # no pain to lose: relative change undefined
    ],
)
def test_it_judges_nprs_by_points_and_percent(before, after, difference, important):
    result = judge("nprs", [before], [after])
    assert result.difference == difference
    assert result.important is important
    assert result.judged
    assert result.criterion == (
        "NPRS: an improvement of at least 2 points and at least 30% of the starting score"
    )


def test_it_reports_relative_change_against_the_starting_score():
    result = judge("nprs", [8], [6])
    assert result.relative == pytest.approx(0.25)
    assert judge("nprs", [0], [0]).relative is None


@pytest.mark.parametrize(
    ("measure", "before", "after", "difference", "important", "beyond_mdc"),
    [
        ("odi", [3] * 10, [3] * 4 + [2] * 6, 12.0, True, True),
        ("odi", [3] * 10, [2] * 10, 20.0, True, True),
        ("odi", [2] * 10, [2] * 5 + [1] * 4 + [2], 8.0, False, False),
        ("odi", [2] * 10, [2] * 5 + [1] * 5, 10.0, True, True),
        ("ndi", [2] * 10, [1] * 10, 10.0, False, False),  # above the MCID 7.5, below MDC 10.2
        ("ndi", [2] * 10, [1] * 9 + [0], 11.0, True, True),
        ("lefs", [2] * 20, [2] * 11 + [3] * 9, 9.0, True, True),
        ("lefs", [2] * 20, [2] * 12 + [3] * 8, 8.0, False, False),
        ("quickdash", [3] * 11, [2] * 11, 25.0, True, True),
        ("spadi", [5] * 13, [4] * 13, 10.0, False, False),  # MCID 8, but inside the MDC 13
        ("spadi", [5] * 13, [3] * 13, 20.0, True, True),
        ("visa_p", [5] * 6 + [4, NA, 10, NA], [7] * 6 + [4, NA, 10, NA], 12.0, False, None),
        ("visa_p", [5] * 6 + [4, NA, 10, NA], [7] * 6 + [7, NA, 10, NA], 15.0, True, None),
        ("tsk17", [3] * 17, [2] * 17, 9.0, True, None),
        ("pseq", [3] * 10, [3] * 5 + [4] * 5, 5.0, False, None),
        ("pseq", [3] * 10, [3] * 4 + [4] * 6, 6.0, True, None),
    ],
)
def test_it_judges_against_mcid_and_mdc(measure, before, after, difference, important, beyond_mdc):
    result = judge(measure, before, after)
    assert result.difference == pytest.approx(difference)
    assert result.important is important
    assert result.beyond_mdc is beyond_mdc
    mcid = definitions()[measure].mcid
    assert mcid is not None
    assert result.criterion == mcid.criterion


def test_it_does_not_judge_when_a_score_is_missing():
    result = judge("odi", [1] * 8 + [NA, NA], [1] * 10)
    assert not result.judged
    assert not result.important
    assert result.difference is None
    assert "scorable" in (result.reason or "")


@pytest.mark.parametrize(
    ("measure", "before", "after"),
    [("start_back", [1] * 9, [0] * 9), ("grc", [1], [5]), ("koos12", [2] * 12, [1] * 12)],
)
def test_it_reports_but_does_not_judge_without_a_published_mcid(measure, before, after):
    result = judge(measure, before, after)
    assert result.difference is not None
    assert result.difference > 0
    assert not result.judged
    assert "no published minimal important change" in (result.reason or "")


def test_it_judges_koos_per_subscale():
    before = [2] * 42
    after = [2] * 7 + [1] * 9 + [2] * 26
    result = judge("koos", before, after)
    assert not result.judged
    assert "per subscale" in (result.reason or "")
    assert result.subscales["pain"].difference == pytest.approx(25.0)
    assert result.subscales["pain"].important
    assert not result.subscales["symptoms"].important
    assert result.subscales["symptoms"].judged

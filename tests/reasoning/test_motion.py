"""Range-of-motion deficits against the normal value and against the other side."""

from __future__ import annotations

import pytest

from softtissue.reasoning.motion import Deficit, Measurement, deficits

NORMALS = {"elbow-flexion": 150, "forearm-supination": 80}


@pytest.mark.parametrize(
    ("measured", "expected"),
    [
        ([("elbow-flexion", "right", 150)], {("elbow-flexion", "right"): (None, None)}),
        ([("elbow-flexion", "right", 130)], {("elbow-flexion", "right"): (20, None)}),
        (
            [("forearm-supination", "left", 90), ("forearm-supination", "right", 80)],
            {
                ("forearm-supination", "left"): (None, None),
                ("forearm-supination", "right"): (None, None),
            },
        ),
        (
            [("forearm-supination", "left", 95), ("forearm-supination", "right", 84)],
            {
                ("forearm-supination", "left"): (None, None),
                ("forearm-supination", "right"): (None, 11),
            },
        ),
        (
            [("elbow-flexion", "left", 150), ("elbow-flexion", "right", 120)],
            {("elbow-flexion", "left"): (None, None), ("elbow-flexion", "right"): (30, 30)},
        ),
        ([("unknown-movement", "centre", 10)], {("unknown-movement", "centre"): (None, None)}),
    ],
)
def test_it_flags_deficits(
    measured: list[tuple[str, str, int]],
    expected: dict[tuple[str, str], tuple[int | None, int | None]],
) -> None:
    found = deficits((Measurement(*m) for m in measured), NORMALS)
    assert {key: (d.below_normal_by, d.below_other_side_by) for key, d in found.items()} == expected


def test_it_describes_a_deficit() -> None:
    found = deficits(
        [Measurement("elbow-flexion", "right", 120), Measurement("elbow-flexion", "left", 150)],
        NORMALS,
    )
    assert found[("elbow-flexion", "right")].describe() == (
        "30° below normal; 30° less than the other side"
    )
    assert not found[("elbow-flexion", "left")].flagged


@pytest.mark.parametrize(
    ("below_normal", "below_other", "words"),
    [
        (20, None, "20° below normal"),
        (None, 15, "15° less than the other side"),
        (5, 15, "5° below normal; 15° less than the other side"),
        (None, None, ""),
    ],
)
def test_it_describes_each_kind_of_deficit(
    below_normal: int | None, below_other: int | None, words: str
) -> None:
    deficit = Deficit(below_normal, below_other)
    assert deficit.describe() == words
    assert deficit.flagged is bool(words)

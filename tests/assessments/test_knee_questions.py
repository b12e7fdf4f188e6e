"""The knee assessment asks the ACL, haemarthrosis and side-specific joint line questions."""

from __future__ import annotations

import pytest

from softtissue.assessments.questions import (
    region_questions,
    screening_questions,
    suggested_tests,
)

KNEE = "region.knee"


@pytest.mark.parametrize(
    "code",
    [
        "knee_pop_at_injury",
        "knee_swelling_within_2_hours",
        "knee_gives_way",
        "medial_joint_line_tenderness",
        "lateral_joint_line_tenderness",
    ],
)
def test_it_asks_the_new_knee_findings(code: str) -> None:
    assert code in set(region_questions(KNEE)) | set(screening_questions(KNEE))


@pytest.mark.parametrize(
    "code", ["knee_pop_at_injury", "knee_swelling_within_2_hours", "knee_gives_way"]
)
def test_it_asks_the_acl_history_among_the_screening_questions(code: str) -> None:
    assert code in screening_questions(KNEE)


@pytest.mark.parametrize("code", ["medial_joint_line_tenderness", "lateral_joint_line_tenderness"])
def test_it_asks_the_side_specific_joint_line_among_the_region_questions(code: str) -> None:
    assert code in region_questions(KNEE)


@pytest.mark.parametrize(
    "test_id",
    ["special-test.lachman", "special-test.pivot-shift", "special-test.anterior-drawer-knee"],
)
def test_it_suggests_the_acl_tests_for_the_knee(test_id: str) -> None:
    assert test_id in suggested_tests(KNEE)


def test_it_does_not_ask_the_knee_history_for_an_elbow() -> None:
    elbow = set(region_questions("region.elbow")) | set(screening_questions("region.elbow"))
    assert not {"knee_pop_at_injury", "knee_swelling_within_2_hours", "knee_gives_way"} & elbow

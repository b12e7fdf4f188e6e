"""The findings builder: recorded data in, the core's findings mapping out (pure)."""

from __future__ import annotations

import pytest

from softtissue.assessments.findings import FindingInputs, MarkFacts, build_findings
from softtissue.reasoning import default_knowledge

KB = default_knowledge()


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (FindingInputs(), {}),
        (FindingInputs(age=46, sex="female"), {"age": 46, "sex": "female"}),
        (FindingInputs(sex=""), {}),
        (
            FindingInputs(onset="gradual", symptom_duration_weeks=8, previous_episodes=False),
            {"onset": "gradual", "symptom_duration_weeks": 8, "previous_episodes": False},
        ),
        (
            FindingInputs(answers={"saddle_anaesthesia": True, "fever": False}),
            {"saddle_anaesthesia": True, "fever": False},
        ),
        (
            FindingInputs(
                tests={"special-test.cozen": "positive", "special-test.mill": "negative"}
            ),
            {"test_cozen": True, "test_mill": False},
        ),
        (FindingInputs(tests={"special-test.cozen": "not_tested"}), {}),
        (FindingInputs(tests={"special-test.no-such-test": "positive"}), {}),
        (
            FindingInputs(marks=(MarkFacts("pins_and_needles", 3), MarkFacts("numbness", 2))),
            {"pins_and_needles": True, "numbness": True},
        ),
        (
            FindingInputs(marks=(MarkFacts("pain", 4), MarkFacts("ache", 7))),
            {"pain_nrs": 7},
        ),
        (FindingInputs(marks=(MarkFacts("stiffness", 5),)), {}),
        (FindingInputs(rom_deficit=True), {"reduced_rom": True}),
        (
            FindingInputs(history_codes=("osteoporosis", "not_a_code")),
            {"osteoporosis": True},
        ),
        (
            FindingInputs(medications=("medication.warfarin", "medication.unknown")),
            {"anticoagulant_medication": True},
        ),
    ],
)
def test_it_builds_the_findings(inputs: FindingInputs, expected: dict[str, object]) -> None:
    assert build_findings(inputs, KB) == expected


@pytest.mark.parametrize(
    "answers",
    [
        {"no_such_finding": True},
        {"fever": "yes"},
        {"pain_nrs": 14},
        {"onset": "sometime"},
    ],
)
def test_it_drops_answers_the_vocabulary_refuses(answers: dict[str, object]) -> None:
    assert build_findings(FindingInputs(answers=answers), KB) == {}


def test_it_lets_an_explicit_answer_win_over_the_body_chart() -> None:
    inputs = FindingInputs(
        marks=(MarkFacts("pins_and_needles", 3),), answers={"pins_and_needles": False}
    )
    assert build_findings(inputs, KB)["pins_and_needles"] is False


def test_it_lets_the_assessment_win_over_the_record() -> None:
    inputs = FindingInputs(history_codes=("diabetes",), answers={"diabetes": False})
    assert build_findings(inputs, KB)["diabetes"] is False


def test_it_lets_the_history_section_win_over_an_answer() -> None:
    inputs = FindingInputs(onset="sudden", answers={"onset": "gradual"})
    assert build_findings(inputs, KB)["onset"] == "sudden"

"""The differential: prior odds times likelihood ratios, checked against hand-worked posteriors."""

from __future__ import annotations

import pytest

from softtissue.reasoning.differential import (
    ENOUGH_PROBABILITY,
    Candidate,
    Movement,
    _message,
    differential,
    posterior,
    strength,
    supported,
)
from softtissue.reasoning.knowledge import Knowledge

LATERAL = "condition.lateral-elbow-tendinopathy"
MEDIAL = "condition.medial-elbow-tendinopathy"


@pytest.mark.parametrize(
    ("prior", "lrs", "expected"),
    [
        (0.2, [], 0.2),
        (0.2, [3.0], 0.4286),  # odds 0.25 x 3 = 0.75; 0.75 / 1.75
        (0.2, [3.0, 4.2], 0.7590),  # odds 0.25 x 3 x 4.2 = 3.15; 3.15 / 4.15
        (0.2, [0.3], 0.0698),  # odds 0.075; 0.075 / 1.075
        (0.1, [2.0, 1.5], 0.25),  # odds 1/9 x 3 = 1/3; 0.25
        (0.5, [1.0], 0.5),
    ],
)
def test_it_computes_posteriors(prior: float, lrs: list[float], expected: float) -> None:
    assert posterior(prior, lrs) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(
    ("findings", "lateral", "medial"),
    [
        ({}, 0.2, 0.1),
        ({"pain_lateral_epicondyle": True}, 0.4286, 0.1),
        ({"pain_lateral_epicondyle": True, "test_cozen": True}, 0.7590, 0.1),
        ({"pain_lateral_epicondyle": False}, 0.0698, 0.1),
        ({"grip_pain": False}, 0.2, 0.1),
        ({"test_cozen": False}, 0.0476, 0.1),  # odds 0.25 x 0.2 = 0.05
        ({"onset": "gradual", "pain_nrs": 5}, 0.2, 0.25),
        ({"onset": "sudden", "pain_nrs": 4}, 0.2, 0.0526),  # odds 1/9 x 0.5 = 1/18
        ({"test_other": True}, 0.2, 0.1),
    ],
)
def test_it_updates_each_candidate(
    kb: Knowledge, findings: dict[str, object], lateral: float, medial: float
) -> None:
    answer = differential(findings, kb, "region.elbow")  # type: ignore[arg-type]
    probabilities = {c.condition: c.probability for c in answer.candidates}
    assert probabilities == {
        LATERAL: pytest.approx(lateral, abs=5e-5),
        MEDIAL: pytest.approx(medial, abs=5e-5),
    }


def test_it_says_which_findings_moved_a_candidate(kb: Knowledge) -> None:
    answer = differential({"pain_lateral_epicondyle": True, "test_cozen": True}, kb)
    top = answer.candidates[0]
    assert top.condition == LATERAL
    assert [(m.finding, m.value, m.lr, m.sources) for m in top.because] == [
        ("pain_lateral_epicondyle", True, 3.0, ("expert-estimate",)),
        ("test_cozen", True, 4.2, ("src-a",)),
    ]
    assert (top.prior, top.sources, top.name) == (0.2, ("src-a",), "Lateral elbow tendinopathy")


def test_it_sorts_by_probability_then_id(kb: Knowledge) -> None:
    answer = differential({"pain_lateral_epicondyle": False}, kb)
    assert [c.condition for c in answer.candidates] == [MEDIAL, LATERAL]
    tied = differential({"onset": "gradual", "pain_lateral_epicondyle": True}, kb)
    assert tied.candidates[0].probability > tied.candidates[1].probability


@pytest.mark.parametrize(
    ("findings", "enough", "message"),
    [
        ({}, False, "Not enough information: no recorded finding changed any candidate."),
        ({"pain_lateral_epicondyle": True}, False, "Not enough information: no candidate is"),
        (
            {"pain_lateral_epicondyle": True, "test_cozen": True},
            True,
            "Working impression: Lateral elbow tendinopathy is the most likely",
        ),
    ],
)
def test_it_says_when_there_is_not_enough_information(
    kb: Knowledge, findings: dict[str, object], enough: bool, message: str
) -> None:
    answer = differential(findings, kb, "region.elbow")  # type: ignore[arg-type]
    assert answer.enough_information is enough
    assert answer.message.startswith(message)
    assert answer.label == "working impression"
    assert "diagnosis" not in answer.message.lower()


def test_it_has_no_candidates_for_a_region_without_conditions(kb: Knowledge) -> None:
    answer = differential({"fever": True}, kb, "region.knee")
    assert answer.candidates == ()
    assert answer.enough_information is False
    assert "No conditions are listed" in answer.message


def test_it_needs_better_than_even_odds() -> None:
    assert ENOUGH_PROBABILITY == 0.5


def candidate(probability: float, prior: float) -> Candidate:
    return Candidate("condition.x", "Condition X", probability, prior, (), ("src-a",))


@pytest.mark.parametrize(
    ("probability", "prior", "expected"),
    [
        (0.50, 0.50, False),  # at its prior: ranked by prevalence alone
        (0.45, 0.60, False),  # findings lowered it
        (0.49, 0.20, False),  # raised, but not more likely than not
        (0.50, 0.20, True),
        (0.95, 0.45, True),
    ],
)
def test_it_needs_the_leader_raised_by_the_findings(
    probability: float, prior: float, expected: bool
) -> None:
    assert supported(candidate(probability, prior)) is expected


def test_it_says_when_the_leader_rests_on_its_prior() -> None:
    leader, other = candidate(0.5, 0.5), candidate(0.3, 0.1)
    message = _message([leader, other], moved=True, enough=False)
    assert message.startswith("Not enough information: nothing recorded points towards Condition X")


def test_it_does_not_count_an_unmoved_prior_as_raised() -> None:
    # 0.55 to odds and back is 0.5500000000000002: above the prior by rounding alone.
    assert posterior(0.55, []) > 0.55
    assert supported(candidate(posterior(0.55, []), 0.55)) is False


@pytest.mark.parametrize(
    ("probability", "prior", "leads", "expected"),
    [
        (0.75, 0.2, True, "most likely"),
        (0.75, 0.2, False, "likely"),
        (0.75, 0.8, True, "possible"),  # lowered by the findings: never "likely"
        (0.5, 0.5, True, "possible"),  # at its prior
        (0.2, 0.1, True, "possible"),
        (0.1999, 0.1, False, "less likely"),
        (0.05, 0.3, False, "less likely"),
        (0.0499, 0.3, False, "unlikely"),
        (0.0, 0.3, False, "unlikely"),
    ],
)
def test_it_puts_strength_in_words(
    probability: float, prior: float, leads: bool, expected: str
) -> None:
    assert strength(candidate(probability, prior), leads) == expected


def test_it_calls_a_second_supported_candidate_likely(kb: Knowledge) -> None:
    findings: dict[str, bool | str] = {
        "pain_lateral_epicondyle": True,
        "test_cozen": True,
        "onset": "gradual",
    }
    answer = differential(findings, kb, "region.elbow", {MEDIAL: 0.4})
    assert [(c.condition, c.strength) for c in answer.candidates] == [
        (LATERAL, "most likely"),  # 0.7590
        (MEDIAL, "likely"),  # odds 2/3 x 2 = 4/3: 0.5714
    ]


@pytest.mark.parametrize(
    ("basis", "lr", "percent", "mostly"),
    [
        ("published", 4.0, 50, False),
        ("calculated", 4.0, 50, False),
        ("expert_estimate", 4.0, None, True),
        ("expert_estimate", 1.0, None, False),  # an LR of 1 weighs nothing
    ],
)
def test_it_counts_published_and_calculated_as_published(
    basis: str, lr: float, percent: int | None, mostly: bool
) -> None:
    moved = Candidate("condition.x", "X", 0.5, 0.2, (Movement("x", True, lr, (), basis),), ())
    assert moved.percent == percent
    assert moved.mostly_expert_estimate is mostly


def test_it_shows_the_published_medial_condition_as_a_percentage(kb: Knowledge) -> None:
    medial = differential({"onset": "gradual", "pain_nrs": 6}, kb, "region.elbow").candidates[0]
    assert medial.condition == MEDIAL
    assert medial.percent == 25  # odds 1/9 x 2 x 1.5 = 1/3, all published or calculated
    lateral = differential({"test_cozen": True}, kb, "region.elbow").candidates[0]
    assert (lateral.condition, lateral.percent) == (LATERAL, 51)  # odds 0.25 x 4.2 = 1.05

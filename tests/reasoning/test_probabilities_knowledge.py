"""The package's own knowledge: published clusters and values give the published probabilities."""

from __future__ import annotations

import pytest

from softtissue.reasoning.cases import evaluate
from softtissue.reasoning.differential import Candidate, differential, posterior
from softtissue.reasoning.knowledge import Knowledge, default_knowledge

RADICULOPATHY = "condition.cervical-radiculopathy"
CTS = "condition.carpal-tunnel-syndrome"
INSTABILITY = "condition.anterior-shoulder-instability"
WAINNER = ("test_ultt_a", "test_cervical_rotation_under_60", "test_cervical_distraction")


@pytest.fixture(scope="module")
def real() -> Knowledge:
    return default_knowledge()


def candidate(real: Knowledge, case_id: str, condition: str) -> Candidate:
    answer = evaluate(real.cases[case_id], real).differential
    return next(c for c in answer.candidates if c.condition == condition)


# Wainner 2003: from a pretest probability of about 23 %, post-test 21 %, 65 % and 90 %.
@pytest.mark.parametrize(
    ("positives", "lr", "percent"), [(2, 0.88, 21), (3, 6.1, 65), (4, 30.3, 90)]
)
def test_it_gives_the_published_wainner_post_test_probabilities(
    real: Knowledge, positives: int, lr: float, percent: int
) -> None:
    items = (*WAINNER, "test_spurling_a")
    findings = {code: index < positives for index, code in enumerate(items)}
    answer = differential(findings, real, "region.neck", {RADICULOPATHY: 0.23})
    leader = next(c for c in answer.candidates if c.condition == RADICULOPATHY)
    assert [(m.finding, m.value, m.lr) for m in leader.because] == [
        ("cluster.wainner-cervical-radiculopathy", positives, lr)
    ]
    assert leader.percent == percent


def test_it_no_longer_multiplies_the_wainner_items(real: Knowledge) -> None:
    leader = candidate(real, "case.spine-cervical-radiculopathy-wainner-cluster", RADICULOPATHY)
    assert leader.probability == pytest.approx(0.6457, abs=5e-5)  # odds 0.23/0.77 x 6.1
    assert (leader.prior, leader.prior_basis, leader.percent) == (0.23, "pretest", 65)
    assert sorted(m.finding for m in leader.set_aside) == sorted(
        ["test_spurling_a", "test_ultt_a", "test_cervical_distraction"]
    )
    multiplied = posterior(0.23, [m.lr for m in leader.set_aside])
    assert multiplied == pytest.approx(0.857, abs=5e-4)
    assert multiplied > leader.probability


def test_it_counts_only_the_strongest_item_when_the_cluster_is_incomplete(real: Knowledge) -> None:
    leader = candidate(real, "case.spine-cervical-radiculopathy", RADICULOPATHY)
    assert [m.finding for m in leader.set_aside] == ["test_ultt_a"]
    assert "not all of its findings are recorded" in leader.set_aside[0].why
    assert leader.probability == pytest.approx(0.7447, abs=5e-5)  # odds 1/9 x 3 x 2.5 x 3.5


def test_it_hardly_moves_carpal_tunnel_on_night_tingling(real: Knowledge) -> None:
    answer = evaluate(real.cases["case.carpal-tunnel-night-tingling-alone"], real).differential
    leader = answer.candidates[0]
    assert leader.condition == CTS
    assert [(m.finding, m.lr, m.basis) for m in leader.because] == [
        ("night_hand_tingling", 1.2, "published")
    ]
    assert leader.probability == pytest.approx(0.3396, abs=5e-5)  # odds 0.3/0.7 x 1.2
    assert posterior(0.30, [2.5]) > 0.5  # what the old estimate made of it
    assert (leader.strength, answer.enough_information) == ("possible", False)


def test_it_uses_the_clubs_pretest(real: Knowledge) -> None:
    case = real.cases["case.shoulder-pretest-rugby-club"]
    answer = evaluate(case, real).differential
    leader = answer.candidates[0]
    assert (leader.condition, leader.prior, leader.prior_basis) == (INSTABILITY, 0.25, "pretest")
    assert leader.probability == pytest.approx(2 / 3)  # odds 1/3 x 2 x 3
    assert answer.pretest_source is not None and "rugby club" in answer.pretest_source
    plain = differential(case.findings, real, case.region)
    assert plain.candidates[0].condition == "condition.rotator-cuff-related-shoulder-pain"


def test_it_shows_stenosis_as_a_percentage_from_published_values(real: Knowledge) -> None:
    leader = candidate(
        real, "case.spine-lumbar-spinal-stenosis", "condition.lumbar-spinal-stenosis"
    )
    assert [m.finding for m in leader.set_aside] == ["symptoms_ease_bending_forward"]
    assert leader.percent == 78  # odds 0.06/0.94 x 2.0 x 7.4 x 3.7
    assert leader.mostly_expert_estimate is False


def test_it_flags_an_elbow_impression_built_on_estimates(real: Knowledge) -> None:
    case = real.cases["case.lateral-elbow-tendinopathy"]
    answer = evaluate(case, real).differential
    leader = answer.candidates[0]
    assert [m.finding for m in leader.set_aside] == [
        "lateral_epicondyle_tenderness",
        "pain_on_gripping",
    ]
    assert (leader.strength, leader.percent, leader.mostly_expert_estimate) == (
        "most likely",
        None,
        True,
    )
    assert "Most of the weight behind it is clinicians' estimates" in answer.message


def test_it_loads_the_published_clusters(real: Knowledge) -> None:
    clusters = {c.id: c for cs in real.clusters.values() for c in cs}
    assert clusters["cluster.wainner-cervical-radiculopathy"].lr_for(4) == 30.3
    assert clusters["cluster.michener-subacromial"].lr_for(2) == 0.34
    assert clusters["cluster.park-impingement"].lr_for(3) == 10.56
    assert clusters["cluster.farber-apprehension-relocation"].lr_for(2) == 39.7

"""A case's own pretest probabilities: read, checked, used instead of the priors and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from softtissue.reasoning.casefiles import Case, load_case, parse_case
from softtissue.reasoning.cases import evaluate, evaluation_json
from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.knowledge import Knowledge, load_knowledge
from tests.reasoning.test_combining import write_kb

LATERAL = "condition.lateral-elbow-tendinopathy"


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return load_knowledge(write_kb(tmp_path_factory.mktemp("pretest")))


def test_it_reads_a_pretest_with_its_source(kb: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "findings: {}\nregion: elbow\npretest: {lateral-elbow-tendinopathy: 0.3}\n"
        "pretest_source: Our clinic's audit of 200 elbows.\n",
        encoding="utf-8",
    )
    case = load_case(path, kb)
    assert case.pretest == {LATERAL: 0.3}
    assert case.pretest_source == "Our clinic's audit of 200 elbows."


def test_it_has_no_pretest_unless_given(kb: Knowledge) -> None:
    case = parse_case({"findings": {}}, kb, "c.json")
    assert (case.pretest, case.pretest_source) == ({}, None)


def test_it_accepts_any_known_condition_without_a_region(two_regions: Knowledge) -> None:
    data = {"findings": {}, "pretest": {"condition.knee-one": 0.4, LATERAL: 1 / 3}}
    case = parse_case(data, two_regions, "c.json")
    assert case.pretest == {"condition.knee-one": 0.4, LATERAL: pytest.approx(1 / 3)}


@pytest.mark.parametrize(
    ("pretest", "key", "problem"),
    [
        ([0.3], "pretest", "expected a mapping of condition ids to probabilities"),
        ({"flu": 0.3}, "pretest.flu", "unknown condition id 'flu'"),
        ({3: 0.3}, "pretest.3", "expected a condition id"),
        (
            {"knee-one": 0.3},
            "pretest.knee-one",
            "condition.knee-one is not a condition of region.elbow",
        ),
        ({LATERAL: 0}, f"pretest.{LATERAL}", "expected a probability above 0 and below 1, got 0"),
        ({LATERAL: 1}, f"pretest.{LATERAL}", "expected a probability above 0 and below 1, got 1"),
        ({LATERAL: True}, f"pretest.{LATERAL}", "expected a probability above 0 and below 1"),
        ({LATERAL: "0.3"}, f"pretest.{LATERAL}", "expected a probability above 0 and below 1"),
        ({LATERAL: -0.1}, f"pretest.{LATERAL}", "expected a probability above 0 and below 1"),
    ],
)
def test_it_refuses_a_bad_pretest(
    two_regions: Knowledge, pretest: object, key: str, problem: str
) -> None:
    data = {"findings": {}, "region": "elbow", "pretest": pretest}
    with pytest.raises(CaseError) as raised:
        parse_case(data, two_regions, "c.json")
    assert (raised.value.file, raised.value.key) == ("c.json", key)
    assert raised.value.problem.startswith(problem), raised.value.problem


def test_it_refuses_a_source_that_is_not_text(kb: Knowledge) -> None:
    with pytest.raises(CaseError) as raised:
        parse_case({"findings": {}, "pretest_source": 3}, kb, "c.json")
    assert (raised.value.key, raised.value.problem) == ("pretest_source", "expected text")


def test_it_reports_the_prior_it_used(kb: Knowledge) -> None:
    case = Case(
        file="c.yaml",
        findings={"pain_lateral_epicondyle": True},
        region="region.elbow",
        pretest={LATERAL: 0.5},
        pretest_source="A published prevalence.",
    )
    out = evaluation_json(evaluate(case, kb))
    lateral, medial = out["differential"]
    assert list(lateral) == [
        "condition",
        "name",
        "probability",
        "prior",
        "prior_basis",
        "strength",
        "percent",
        "mostly_expert_estimate",
        "because",
        "set_aside",
        "sources",
    ]
    assert (lateral["prior"], lateral["prior_basis"]) == (0.5, "pretest")
    assert lateral["probability"] == pytest.approx(0.75)  # odds 1 x 3
    assert (lateral["strength"], lateral["percent"], lateral["mostly_expert_estimate"]) == (
        "most likely",
        None,
        True,
    )
    assert (medial["prior"], medial["prior_basis"], medial["percent"]) == (0.1, "published", 10)
    assert out["differential_summary"]["pretest_source"] == "A published prevalence."


def test_it_writes_what_was_set_aside(tmp_path: Path) -> None:
    kb = load_knowledge(write_kb(tmp_path))
    case = Case(file="c.yaml", findings={"sym_p": True, "sym_q": True}, region="region.knee")
    [knee] = evaluation_json(evaluate(case, kb))["differential"]
    assert knee["because"] == [
        {"finding": "sym_p", "value": True, "lr": 2.5, "sources": ["expert-estimate"]}
    ]
    assert knee["set_aside"] == [
        {
            "finding": "sym_q",
            "value": True,
            "lr": 1.5,
            "sources": ["expert-estimate"],
            "why": "Both record the same thing. Only the strongest (Symptom P) counts.",
        }
    ]

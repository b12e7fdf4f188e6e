"""Published clusters and dependent findings: which likelihood ratios count, and why not others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from softtissue.reasoning.differential import Candidate, Movement, differential
from softtissue.reasoning.knowledge import Knowledge, build_knowledge, load_knowledge
from tests.reasoning.conftest import FIXTURE_KB

KNEE = "condition.knee-one"
FINDINGS = """\
- {code: t_a, type: boolean, label: Test A, question: "A?", kind: test}
- {code: t_b, type: boolean, label: Test B, question: "B?", kind: test}
- {code: t_c, type: boolean, label: Test C, question: "C?", kind: test}
- {code: t_d, type: boolean, label: Test D, question: "D?", kind: test}
- {code: sym_p, type: boolean, label: Symptom P, question: "P?", kind: symptom}
- {code: sym_q, type: boolean, label: Symptom Q, question: "Q?", kind: symptom}
"""
CONDITION = """\
- id: condition.knee-one
  name: Knee one
  region: region.knee
  tissue: joint
  category: category.chronic-complex-msk
  prior: 0.2
  prior_basis: expert_estimate
  features:
    - {finding: t_a, is: true, lr_positive: 3.0, lr_negative: 0.2, basis: published,
       sources: [src-a]}
    - {finding: t_b, is: true, lr_positive: 4.0, lr_negative: 0.6, basis: calculated,
       sources: [src-a]}
    - {finding: t_c, is: true, lr_positive: 2.0, lr_negative: 0.5, basis: published,
       sources: [src-a]}
    - {finding: sym_p, is: true, lr_positive: 2.5, lr_negative: 0.5, basis: expert_estimate,
       sources: [expert-estimate]}
    - {finding: sym_q, is: true, lr_positive: 1.5, lr_negative: 0.8, basis: expert_estimate,
       sources: [expert-estimate]}
  clusters:
    - id: cluster.abc
      name: ABC cluster
      findings: [t_a, t_b, t_c]
      positives:
        - {min: 2, max: 2, lr: 1.5}
        - {min: 3, max: 3, lr: 12.0}
      basis: published
      sources: [src-a]
    - id: cluster.cd
      name: CD cluster
      findings: [t_c, t_d]
      positives: [{min: 2, max: 2, lr: 20.0}, {min: 0, max: 0, lr: 0.1}]
      basis: published
      sources: [src-a]
      note: Shares t_c with the ABC cluster.
  dependent:
    - {findings: [sym_p, sym_q], why: Both record the same thing., sources: [src-a]}
  sources: [src-a]
  reviewed: 2026-11-27
"""


def write_kb(root: Path, condition: str = CONDITION) -> Path:
    """The fixture knowledge plus a knee condition with two overlapping clusters and a group."""
    target = root / "kb"
    shutil.copytree(FIXTURE_KB, target)
    (target / "findings" / "combining.yaml").write_text(FINDINGS, encoding="utf-8")
    (target / "conditions" / "knee.yaml").write_text(condition, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def ckb(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return load_knowledge(write_kb(tmp_path_factory.mktemp("combining")))


def knee(ckb: Knowledge, findings: dict[str, object], pretest: float | None = None) -> Candidate:
    answer = differential(
        findings,  # type: ignore[arg-type]
        ckb,
        "region.knee",
        None if pretest is None else {KNEE: pretest},
    )
    return answer.candidates[0]


NOT_SCORED = (
    "in the ABC cluster, whose findings are not independent; the cluster cannot be scored ({}),"
    " so only the strongest ({}) counts"
)


@pytest.mark.parametrize(
    ("findings", "applied", "aside", "probability"),
    [
        # All three ABC findings positive: the cluster's 12 replaces 3 x 4 x 2.
        (
            {"t_a": True, "t_b": True, "t_c": True},
            [("cluster.abc", 3, 12.0)],
            {
                "t_a": "counted in the ABC cluster (3 of 3 positive) instead",
                "t_b": "counted in the ABC cluster (3 of 3 positive) instead",
                "t_c": "counted in the ABC cluster (3 of 3 positive) instead",
            },
            0.75,  # odds 0.25 x 12 = 3
        ),
        # Both clusters scored: they share t_c, so only the stronger (CD, 20) counts.
        (
            {"t_a": True, "t_b": True, "t_c": True, "t_d": True},
            [("cluster.cd", 2, 20.0)],
            {
                "t_a": "not independent of the CD cluster, which counts instead",
                "t_b": "not independent of the CD cluster, which counts instead",
                "t_c": "counted in the CD cluster (2 of 2 positive) instead",
                "cluster.abc": "overlaps the CD cluster, which moves the odds more; one counts",
            },
            0.8333,  # odds 0.25 x 20 = 5
        ),
        # 1 of 3 has no published LR: only the strongest single (t_a, 3.0) counts.
        (
            {"t_a": True, "t_b": False, "t_c": False},
            [("t_a", True, 3.0)],
            {
                "t_b": NOT_SCORED.format("no LR is published for 1 of 3 positive", "Test A"),
                "t_c": NOT_SCORED.format("no LR is published for 1 of 3 positive", "Test A"),
            },
            0.4286,
        ),
        # Not every finding recorded: the strongest single (t_b, 4.0) counts.
        (
            {"t_a": True, "t_b": True},
            [("t_b", True, 4.0)],
            {"t_a": NOT_SCORED.format("not all of its findings are recorded", "Test B")},
            0.5,
        ),
        # Both CD findings negative: the cluster's 0.1 replaces t_c's own 0.5.
        (
            {"t_c": False, "t_d": False},
            [("cluster.cd", 0, 0.1)],
            {"t_c": "counted in the CD cluster (0 of 2 positive) instead"},
            0.0244,  # odds 0.025
        ),
        # A cluster's finding alone, with nothing to set aside.
        ({"t_c": True, "t_d": False}, [("t_c", True, 2.0)], {}, 0.3333),
        # A dependent group: the stronger of the two symptoms counts.
        (
            {"sym_p": True, "sym_q": True},
            [("sym_p", True, 2.5)],
            {"sym_q": "Both record the same thing. Only the strongest (Symptom P) counts."},
            0.3846,
        ),
        ({"sym_q": False}, [("sym_q", False, 0.8)], {}, 0.1667),
        # A cluster and a group together multiply: they measure different things.
        (
            {"t_a": True, "t_b": True, "t_c": True, "sym_p": True},
            [("sym_p", True, 2.5), ("cluster.abc", 3, 12.0)],
            {
                "t_a": "counted in the ABC cluster (3 of 3 positive) instead",
                "t_b": "counted in the ABC cluster (3 of 3 positive) instead",
                "t_c": "counted in the ABC cluster (3 of 3 positive) instead",
            },
            0.8824,  # odds 0.25 x 2.5 x 12 = 7.5
        ),
    ],
)
def test_it_applies_clusters_and_dependent_groups(
    ckb: Knowledge,
    findings: dict[str, object],
    applied: list[tuple[str, object, float]],
    aside: dict[str, str],
    probability: float,
) -> None:
    candidate = knee(ckb, findings)
    assert [(m.finding, m.value, m.lr) for m in candidate.because] == applied
    assert {m.finding: m.why for m in candidate.set_aside} == aside
    assert all(m.why == "" for m in candidate.because)
    assert candidate.probability == pytest.approx(probability, abs=5e-5)


def test_it_names_a_cluster_and_its_findings(ckb: Knowledge) -> None:
    candidate = knee(ckb, {"t_a": True, "t_b": True, "t_c": False})
    assert candidate.because == (
        Movement(
            "cluster.abc", 2, 1.5, ("src-a",), "published", ("t_a", "t_b", "t_c"), "ABC cluster"
        ),
    )
    assert [m.lr for m in candidate.set_aside] == [3.0, 4.0, 0.5]


@pytest.mark.parametrize(
    ("findings", "pretest", "percent", "mostly", "strength"),
    [
        ({"t_a": True, "t_b": True, "t_c": True}, None, 75, False, "most likely"),
        ({"t_a": True, "t_b": True, "t_c": True, "sym_p": True}, None, None, False, "most likely"),
        ({"sym_p": True}, None, None, True, "possible"),
        ({}, None, None, False, "possible"),  # an estimated prior alone earns no percentage
        ({}, 0.3, 30, False, "possible"),  # a prior the case gives does
        ({"t_a": True, "t_b": True, "t_c": True, "t_d": True}, 0.95, 99, False, "most likely"),
        ({"t_c": False, "t_d": False}, 0.01, 1, False, "unlikely"),
        ({"t_c": False, "t_d": False}, None, 2, False, "unlikely"),
        ({"sym_q": False}, None, None, True, "less likely"),
    ],
)
def test_it_shows_a_percentage_only_on_published_numbers(
    ckb: Knowledge,
    findings: dict[str, object],
    pretest: float | None,
    percent: int | None,
    mostly: bool,
    strength: str,
) -> None:
    candidate = knee(ckb, findings, pretest)
    assert candidate.percent == percent
    assert candidate.mostly_expert_estimate is mostly
    assert candidate.strength == strength


def test_it_says_when_the_leader_rests_mostly_on_estimates(ckb: Knowledge) -> None:
    estimated = differential({"sym_p": True}, ckb, "region.knee", {KNEE: 0.5})
    assert estimated.enough_information is True
    assert estimated.message == (
        "Working impression: Knee one is the most likely of these candidates. Most of the weight"
        " behind it is clinicians' estimates, not published figures, so read it as a ranking,"
        " not a probability."
    )
    published = differential({"t_a": True, "t_b": True, "t_c": True}, ckb, "region.knee")
    assert published.message == (
        "Working impression: Knee one is the most likely of these candidates."
    )


def test_it_uses_the_pretest_instead_of_the_prior(ckb: Knowledge) -> None:
    answer = differential({"sym_p": True}, ckb, "region.knee", {KNEE: 0.5}, "A clinic audit.")
    leader = answer.candidates[0]
    assert (leader.prior, leader.prior_basis) == (0.5, "pretest")
    assert leader.probability == pytest.approx(0.7143, abs=5e-5)  # odds 1 x 2.5
    assert answer.pretest_source == "A clinic audit."
    plain = differential({"sym_p": True}, ckb, "region.knee")
    assert (plain.candidates[0].prior, plain.candidates[0].prior_basis) == (0.2, "expert_estimate")
    assert plain.pretest_source is None


def test_it_loads_the_clusters_and_groups(ckb: Knowledge) -> None:
    abc, cd = ckb.clusters[KNEE]
    assert (abc.id, abc.name, abc.findings, abc.basis, abc.sources) == (
        "cluster.abc",
        "ABC cluster",
        ("t_a", "t_b", "t_c"),
        "published",
        ("src-a",),
    )
    assert [abc.lr_for(n) for n in range(4)] == [None, None, 1.5, 12.0]
    assert [cd.lr_for(n) for n in range(3)] == [0.1, None, 20.0]
    [group] = ckb.dependent[KNEE]
    assert (group.findings, group.why) == (("sym_p", "sym_q"), "Both record the same thing.")
    assert ckb.clusters["condition.lateral-elbow-tendinopathy"] == ()
    assert ckb.dependent["condition.lateral-elbow-tendinopathy"] == ()


ABC = "    - id: cluster.abc\n      name: ABC cluster\n      findings: [t_a, t_b, t_c]\n"
POSITIVES = (
    "      positives:\n        - {min: 2, max: 2, lr: 1.5}\n        - {min: 3, max: 3, lr: 12.0}\n"
)
GROUP = "    - {findings: [sym_p, sym_q], why: Both record the same thing., sources: [src-a]}\n"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "id: cluster.abc",
            "id: abc",
            "clusters[0].id: expected dotted kebab-case starting cluster.",
        ),
        (
            "[t_a, t_b, t_c]",
            "[t_a, t_b, nothing]",
            "clusters[0].findings: 'nothing' is not a yes/no",
        ),
        ("[t_c, t_d]", "[t_c, onset]", "clusters[1].findings: 'onset' is not a yes/no finding"),
        ("[t_c, t_d]", "[t_c]", "clusters[1].findings: expected two or more different findings"),
        (
            "[t_c, t_d]",
            "[t_c, t_c]",
            "clusters[1].findings: expected two or more different findings",
        ),
        (
            "{min: 3, max: 3, lr: 12.0}",
            "{min: 3, max: 4, lr: 12.0}",
            "clusters[0].positives[1]: expected 0 <= min <= max <= 3",
        ),
        (
            "{min: 3, max: 3, lr: 12.0}",
            "{min: 2, max: 1, lr: 12.0}",
            "clusters[0].positives[1]: expected 0 <= min <= max <= 3",
        ),
        (
            "{min: 3, max: 3, lr: 12.0}",
            "{min: 1, max: 3, lr: 12.0}",
            "clusters[0].positives[1]: overlaps an earlier row",
        ),
        ("id: cluster.cd", "id: cluster.abc", "clusters[1].id: cluster.abc is used twice"),
        (
            "[sym_p, sym_q]",
            "[sym_p, t_d]",
            "dependent[0].findings: 't_d' is not one of this condition's features",
        ),
        (
            "[sym_p, sym_q]",
            "[sym_p, t_a]",
            "dependent[0].findings: 't_a' is already in a cluster or another group",
        ),
        ("[sym_p, sym_q]", "[sym_p]", "dependent[0].findings: expected two or more different"),
        ("[sym_p, sym_q]", "[sym_p, sym_p]", "dependent[0].findings: expected two or more"),
        (
            GROUP,
            GROUP + "    - {findings: [sym_q, sym_p], why: Again.}\n",
            "dependent[1].findings: 'sym_q' is already in a cluster or another group",
        ),
        # Shapes the schema check reports; the cluster or group is then left out quietly.
        ("{min: 3, max: 3, lr: 12.0}", "{min: 3, max: 3, lr: 0}", "expected a likelihood ratio"),
        ("{min: 3, max: 3, lr: 12.0}", "{min: 3, max: true, lr: 2}", "max: expected an integer"),
        (
            "{min: 3, max: 3, lr: 12.0}",
            "{min: 3, lr: 2}",
            "missing key clusters[0].positives[1].max",
        ),
        ("{min: 3, max: 3, lr: 12.0}", "{min: 3.0, max: 3, lr: 2}", "min: expected an integer"),
        ("{min: 3, max: 3, lr: 12.0}", "three", "positives[1]: expected a mapping"),
        (POSITIVES, "      positives: many\n", "clusters[0].positives: expected a list"),
        ("[t_a, t_b, t_c]", "t_a", "clusters[0].findings: expected a list of text"),
        (ABC, "    - just text\n" + ABC, "clusters[0]: expected a mapping"),
        ("[sym_p, sym_q]", "sym_p", "dependent[0].findings: expected a list of text"),
        (GROUP, "    - just text\n", "dependent[0]: expected a mapping"),
    ],
)
def test_it_reports_bad_clusters_and_groups(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    assert old in CONDITION
    root = write_kb(tmp_path, CONDITION.replace(old, new, 1))
    _, problems = build_knowledge(root)
    messages = [str(p) for p in problems]
    assert any(problem in m and m.startswith("conditions/knee.yaml: ") for m in messages), messages


@pytest.mark.parametrize(
    ("old", "new", "clusters", "groups"),
    [
        ("{min: 3, max: 3, lr: 12.0}", "{min: 3, max: 3, lr: 0}", ["cluster.cd"], 1),
        (POSITIVES, "      positives: many\n", ["cluster.cd"], 1),
        (ABC, "    - just text\n" + ABC, ["cluster.abc", "cluster.cd"], 1),
        ("[sym_p, sym_q]", "[sym_p]", ["cluster.abc", "cluster.cd"], 0),
        (GROUP, "    - just text\n", ["cluster.abc", "cluster.cd"], 0),
    ],
)
def test_it_leaves_out_what_it_cannot_read(
    tmp_path: Path, old: str, new: str, clusters: list[str], groups: int
) -> None:
    kb, _ = build_knowledge(write_kb(tmp_path, CONDITION.replace(old, new, 1)))
    assert [c.id for c in kb.clusters[KNEE]] == clusters
    assert len(kb.dependent[KNEE]) == groups

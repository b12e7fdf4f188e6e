"""The real knowledge base: valid, every red flag and condition covered by passing vignettes."""

from __future__ import annotations

import pytest

from softtissue.reasoning.cases import check_case, evaluate
from softtissue.reasoning.knowledge import DEFAULT_DIRECTORY, Knowledge, build_knowledge
from softtissue.reasoning.summary import check_knowledge

KB, PROBLEMS = build_knowledge(DEFAULT_DIRECTORY)


def fired(kb: Knowledge, case_id: str) -> set[str]:
    return {flag.rule_id for flag in evaluate(kb.cases[case_id], kb).triage.flags}


def test_it_loads_without_problems() -> None:
    assert [str(p) for p in check_knowledge()] == []


@pytest.mark.parametrize("flag_id", sorted(KB.red_flags))
def test_it_has_a_vignette_that_fires_each_red_flag(flag_id: str) -> None:
    assert any(flag_id in fired(KB, case_id) for case_id in KB.cases), (
        f"no vignette fires {flag_id}"
    )


@pytest.mark.parametrize("flag_id", sorted(KB.red_flags))
def test_it_has_a_near_miss_vignette_for_each_red_flag(flag_id: str) -> None:
    near_misses = [
        case_id
        for case_id, case in KB.cases.items()
        if case.expect is not None and flag_id in case.expect.not_flags
    ]
    assert near_misses, f"no vignette expects {flag_id} not to fire"
    assert all(flag_id not in fired(KB, case_id) for case_id in near_misses)


@pytest.mark.parametrize("condition_id", sorted(KB.conditions))
def test_it_has_a_vignette_with_each_condition_in_the_top3(condition_id: str) -> None:
    assert any(
        case.expect is not None and condition_id in case.expect.top3 for case in KB.cases.values()
    ), f"no vignette expects {condition_id} in the top three"


@pytest.mark.parametrize("case_id", sorted(KB.cases))
def test_it_passes_each_vignette(case_id: str) -> None:
    case = KB.cases[case_id]
    assert check_case(case, evaluate(case, KB)) == []

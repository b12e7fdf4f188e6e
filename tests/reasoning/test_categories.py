"""The category is derived from the findings: injury features, linked tests, the impression."""

from __future__ import annotations

import pytest

from softtissue.reasoning.categories import derive_category, rank
from softtissue.reasoning.knowledge import Knowledge, default_knowledge

KB = default_knowledge()


@pytest.mark.parametrize(
    ("findings", "impression", "category", "because"),
    [
        ({}, None, "category.maintenance", ()),
        ({"local_tenderness": True, "symptom_duration_weeks": 2}, None, "category.maintenance", ()),
        (
            {"days_since_injury": 5},
            None,
            "category.minor-soft-tissue-post-acute",
            ("days_since_injury",),
        ),
        (
            {"days_since_injury": 2},
            None,
            "category.minor-soft-tissue-acute",
            ("days_since_injury",),
        ),
        (
            {"bruising": True, "swelling": True},
            None,
            "category.minor-soft-tissue-post-acute",
            ("swelling", "bruising"),
        ),
        ({"pins_and_needles": True}, None, "category.peripheral-neural", ("pins_and_needles",)),
        (
            {"symptom_duration_weeks": 13},
            None,
            "category.chronic-complex-msk",
            ("symptom_duration_weeks",),
        ),
        ({"symptom_duration_weeks": 12}, None, "category.maintenance", ()),
        ({}, "condition.lateral-elbow-tendinopathy", "category.chronic-complex-msk", ()),
        # A non-specific condition is not an injury by itself.
        ({}, "condition.non-specific-low-back-pain", "category.maintenance", ()),
        # The strictest wins: a fresh injury beats the impression's chronic category.
        (
            {"days_since_injury": 1},
            "condition.lateral-elbow-tendinopathy",
            "category.minor-soft-tissue-acute",
            ("days_since_injury",),
        ),
    ],
)
def test_it_derives_the_strictest_category(
    findings: dict[str, object], impression: str | None, category: str, because: tuple[str, ...]
) -> None:
    derived = derive_category(findings, KB, impression)  # type: ignore[arg-type]
    assert (derived.category, derived.because) == (category, because)
    assert derived.injury is (category != "category.maintenance")
    assert derived.sources == tuple(KB.categories[category]["sources"])


def test_it_reads_a_positive_test_tied_to_a_condition(kb: Knowledge) -> None:
    derived = derive_category({"test_cozen": True}, kb)
    assert (derived.category, derived.because) == ("category.chronic-complex-msk", ("test_cozen",))
    assert derive_category({"test_cozen": False}, kb).category == "category.maintenance"


def test_it_breaks_a_tie_by_id_and_keeps_only_that_categorys_reasons(kb: Knowledge) -> None:
    derived = derive_category({"days_since_injury": 3}, kb)
    assert (derived.category, derived.because) == (
        "category.pre-diagnosed-injury",
        ("days_since_injury",),
    )


def test_it_ranks_maintenance_least_and_red_flag_most() -> None:
    ranks = {category: rank(category, KB) for category in KB.categories}
    assert min(ranks, key=ranks.__getitem__) == "category.maintenance"
    assert max(ranks, key=ranks.__getitem__) == "category.red-flag"

"""Loading refuses a red flag whose words disagree with its band, and a missing band."""

from __future__ import annotations

from pathlib import Path

import pytest

from softtissue.reasoning.knowledge import build_knowledge
from softtissue.reasoning.triage import triage
from tests.reasoning.conftest import FIXTURE_KB, mutated_kb


def problems(directory: Path) -> list[str]:
    return [str(p) for p in build_knowledge(directory)[1]]


def test_it_accepts_the_fixture_bands() -> None:
    assert problems(FIXTURE_KB) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  referral: GP the same day",
            "  referral: GP today",
            "red-flag.infection: referral: a refer_urgent referral says 'same day' or 'same-day'",
        ),
        (
            "  referral: GP the same day",
            "  referral: GP the same day, or within days",
            "red-flag.infection: referral: says 'within days', which does not belong in "
            "refer_urgent",
        ),
        (
            "  referral: GP routine",
            "  referral: GP routine, or 999",
            "referral: says '999', which does not belong in refer_routine",
        ),
    ],
)
def test_it_refuses_words_outside_the_band(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    found = problems(mutated_kb(tmp_path, "red_flags/core.yaml", old, new))
    assert any(expected in problem for problem in found), found


def test_it_refuses_a_missing_band(tmp_path: Path) -> None:
    directory = mutated_kb(tmp_path, "urgencies.yaml", "- band: refer_soon", "- band: refer_soon")
    text = (directory / "urgencies.yaml").read_text(encoding="utf-8")
    start = text.index("- band: refer_soon")
    end = text.index("- band: refer_routine")
    (directory / "urgencies.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert any("missing bands refer_soon" in p for p in problems(directory))


def test_it_reads_whether_a_band_stops_treatment_from_the_knowledge(tmp_path: Path) -> None:
    directory = mutated_kb(
        tmp_path, "urgencies.yaml", "  stops_treatment: false", "  stops_treatment: true"
    )
    kb, found = build_knowledge(directory)
    assert found == []
    result = triage({"onset": "gradual", "pain_nrs": 7}, kb)
    assert (result.urgency, result.stops_treatment) == ("refer_routine", True)


def test_it_refuses_a_missing_explanation(tmp_path: Path) -> None:
    directory = mutated_kb(
        tmp_path,
        "explanations.yaml",
        "- id: explanation.maintenance-massage",
        "- id: explanation.something-else",
    )
    assert any(
        "missing explanations explanation.maintenance-massage" in p for p in problems(directory)
    )

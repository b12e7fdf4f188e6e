"""Triage: red flags fire on findings and the worst urgency wins."""

from __future__ import annotations

import pytest

from softtissue.reasoning.knowledge import Knowledge
from softtissue.reasoning.triage import triage, urgency_rank


@pytest.mark.parametrize(
    ("findings", "urgency", "flags"),
    [
        ({}, "none", []),
        ({"saddle_anaesthesia": False, "fever": True}, "none", []),
        ({"saddle_anaesthesia": True}, "refer_emergency", ["red-flag.cauda-equina"]),
        ({"fever": True, "night_pain": True}, "refer_urgent", ["red-flag.infection"]),
        ({"onset": "gradual", "pain_nrs": 6}, "refer_routine", ["red-flag.routine"]),
        (
            {"onset": "gradual", "pain_nrs": 6, "diagnosed_by_clinician": True},
            "none",
            [],
        ),
        (
            {"onset": "gradual", "pain_nrs": 9, "weakness": True, "fever": True, "age": 1},
            "refer_emergency",
            ["red-flag.cauda-equina", "red-flag.infection", "red-flag.routine"],
        ),
    ],
)
def test_it_triages(
    kb: Knowledge, findings: dict[str, object], urgency: str, flags: list[str]
) -> None:
    answer = triage(findings, kb)  # type: ignore[arg-type]
    assert answer.urgency == urgency
    assert [f.rule_id for f in answer.flags] == flags


def test_it_says_why_a_flag_fired(kb: Knowledge) -> None:
    flag = triage({"weakness": True, "pain_nrs": 8, "fever": False}, kb).flags[0]
    assert flag.because == ("weakness", "pain_nrs")
    assert (flag.message, flag.referral, flag.sources) == (
        "Stop; A&E now.",
        "999 or A&E now",
        ("src-a",),
    )


@pytest.mark.parametrize(
    ("findings", "stops"),
    [
        ({}, False),
        ({"onset": "gradual", "pain_nrs": 6}, False),
        ({"fever": True, "night_pain": True}, True),
        ({"saddle_anaesthesia": True}, True),
    ],
)
def test_it_stops_treatment_for_urgent_and_emergency(
    kb: Knowledge, findings: dict[str, object], stops: bool
) -> None:
    assert triage(findings, kb).stops_treatment is stops  # type: ignore[arg-type]


def test_it_ranks_urgencies() -> None:
    bands = ("none", "refer_routine", "refer_soon", "refer_urgent", "refer_emergency")
    assert [urgency_rank(u) for u in bands] == [0, 1, 2, 3, 4]

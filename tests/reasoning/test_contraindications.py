"""Contraindications fire on the client's findings and are narrowed to the planned treatment."""

from __future__ import annotations

import pytest

from softtissue.reasoning.contraindications import contraindications
from softtissue.reasoning.knowledge import Knowledge

DTF = "technique.deep-transverse-friction"
STR = "technique.soft-tissue-release"


@pytest.mark.parametrize(
    ("findings", "techniques", "regions", "expected"),
    [
        ({}, (), (), []),
        ({"fever": True}, (), (), [("contraindication.fever", ("all",), ("all",))]),
        (
            {"fever": True},
            (STR,),
            ("region.elbow",),
            [("contraindication.fever", (STR,), ("region.elbow",))],
        ),
        (
            {"open_wound": True},
            (STR,),
            ("region.elbow",),
            [("contraindication.open-wound", (STR,), ("affected",))],
        ),
        (
            {"anticoagulant_medication": True},
            (),
            (),
            [("contraindication.anticoagulants", (DTF, "technique.cupping"), ("all",))],
        ),
        (
            {"anticoagulant_medication": True},
            (STR, DTF),
            (),
            [("contraindication.anticoagulants", (DTF,), ("all",))],
        ),
        (
            {"anticoagulant_medication": True},
            (STR,),
            (),
            [("contraindication.anticoagulants", (), ("all",))],
        ),
        ({"pregnant": True}, (), ("region.elbow",), [("contraindication.pregnancy", ("all",), ())]),
        ({"pregnant": True}, (), (), [("contraindication.pregnancy", ("all",), ("region.knee",))]),
    ],
)
def test_it_narrows_hits_to_the_plan(
    kb: Knowledge,
    findings: dict[str, object],
    techniques: tuple[str, ...],
    regions: tuple[str, ...],
    expected: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
) -> None:
    hits = contraindications(findings, kb, techniques, regions)  # type: ignore[arg-type]
    assert [(h.id, h.techniques, h.regions) for h in hits] == expected


@pytest.mark.parametrize(
    ("techniques", "regions", "relevant"),
    [((), (), True), ((STR,), (), False), ((DTF,), ("region.knee",), True)],
)
def test_it_knows_when_a_hit_is_relevant(
    kb: Knowledge, techniques: tuple[str, ...], regions: tuple[str, ...], relevant: bool
) -> None:
    hit = contraindications({"anticoagulant_medication": True}, kb, techniques, regions)[0]
    assert hit.relevant is relevant


def test_it_carries_the_rule_details(kb: Knowledge) -> None:
    hit = contraindications({"anticoagulant_medication": True}, kb)[0]
    assert (hit.name, hit.tier, hit.outcome, hit.action, hit.because, hit.sources) == (
        "Anticoagulant medication",
        "caution",
        "require_clearance",
        "Light pressure only.",
        ("anticoagulant_medication",),
        ("project-choice",),
    )

"""Safety nets: what to tell the client when nothing stops treatment, by region."""

from __future__ import annotations

import pytest

from softtissue.reasoning import default_knowledge, safety_nets, triage

KB = default_knowledge()


@pytest.mark.parametrize(
    ("region", "nets"),
    [
        ("region.lumbar-pelvis", ["safety-net.cauda-equina", "safety-net.general"]),
        ("region.neck", ["safety-net.neck-arteries", "safety-net.general"]),
        ("region.leg", ["safety-net.cauda-equina", "safety-net.leg-clot", "safety-net.general"]),
        ("region.shoulder", ["safety-net.general"]),
        (None, ["safety-net.general"]),
    ],
)
def test_it_gives_the_regions_nets_then_the_general_one(
    region: str | None, nets: list[str]
) -> None:
    result = triage({"pain_nrs": 3}, KB)
    assert [net.id for net in safety_nets(result, region, KB)] == nets


def test_it_says_where_to_go_in_the_bands_words() -> None:
    (net, _) = safety_nets(triage({}, KB), "region.lumbar-pelvis", KB)
    (emergency,) = net.seek_help
    assert (emergency.band, emergency.where) == ("refer_emergency", "999 or A&E now")
    assert any("bladder" in sign for sign in emergency.signs)
    assert "girft-ces-2023" in net.sources
    assert net.review.startswith("Back pain usually eases")


def test_it_gives_no_net_when_a_flag_stops_treatment() -> None:
    result = triage({"saddle_anaesthesia": True}, KB)
    assert result.stops_treatment
    assert safety_nets(result, "region.lumbar-pelvis", KB) == ()


def test_it_still_safety_nets_a_routine_referral() -> None:
    result = triage({"several_joints_swollen": True, "morning_stiffness_over_30_min": True}, KB)
    assert (result.urgency, result.stops_treatment) == ("refer_routine", False)
    assert safety_nets(result, "region.knee", KB)

"""Scope of practice: red flags, contraindications, insurance, qualification, techniques."""

from __future__ import annotations

import pytest

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import PlanRequest, TherapistFacts
from softtissue.reasoning.knowledge import Knowledge
from softtissue.reasoning.scope import scope

L3 = "qualification.smt-l3"
L4 = "qualification.smt-l4"
CHRONIC = "category.chronic-complex-msk"
POST_SURGICAL = "category.post-surgical"
LATERAL = "condition.lateral-elbow-tendinopathy"
EFF = "technique.effleurage"
DTF = "technique.deep-transverse-friction"
STR = "technique.soft-tissue-release"
TAPE = "technique.taping-kinesiology"
CUP = "technique.cupping"


def therapist(
    *quals: str, cpd: tuple[str, ...] = (), insurance: str | None = None, expired: bool = False
) -> TherapistFacts:
    return TherapistFacts(tuple(quals), cpd, insurance, expired)


@pytest.mark.parametrize(
    ("who", "request_", "findings", "outcome", "overridable"),
    [
        (therapist(L3), PlanRequest(), {}, "allow", True),
        (therapist(L3), PlanRequest(techniques=(EFF,)), {}, "allow", True),
        (therapist(L3), PlanRequest(condition=LATERAL), {}, "block", True),
        (therapist(L4), PlanRequest(condition=LATERAL), {}, "warn", True),
        (therapist(L3, L4), PlanRequest(condition=LATERAL), {}, "warn", True),
        (
            therapist(L4, L3),
            PlanRequest(condition_category="category.maintenance"),
            {},
            "allow",
            True,
        ),
        (therapist(L3), PlanRequest(condition_category=POST_SURGICAL), {}, "block", True),
        (
            therapist(L4),
            PlanRequest(condition_category=POST_SURGICAL),
            {},
            "require_clearance",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(condition=LATERAL),
            {"diagnosed_by_clinician": True},
            "allow",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(condition=LATERAL),
            {"diagnosed_by_clinician": False},
            "warn",
            True,
        ),
        (
            therapist(L3),
            PlanRequest(condition=LATERAL),
            {"diagnosed_by_clinician": True},
            "block",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(condition_category=POST_SURGICAL),
            {"diagnosed_by_clinician": True},
            "require_clearance",
            True,
        ),
        (therapist(), PlanRequest(techniques=(EFF,)), {}, "block", True),
        (therapist(L3), PlanRequest(), {"saddle_anaesthesia": True}, "refer_emergency", False),
        (therapist(L3), PlanRequest(), {"onset": "gradual", "pain_nrs": 7}, "refer_routine", False),
        (therapist(L4), PlanRequest(techniques=(EFF,)), {"fever": True}, "block", False),
        (therapist(L4), PlanRequest(condition=LATERAL), {"fever": True}, "block", False),
        (therapist(L4), PlanRequest(techniques=(EFF,)), {"open_wound": True}, "warn", True),
        (
            therapist(L4),
            PlanRequest(techniques=(DTF,)),
            {"anticoagulant_medication": True},
            "require_clearance",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(techniques=(EFF,)),
            {"anticoagulant_medication": True},
            "allow",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(techniques=(EFF,), regions=("region.knee",)),
            {"pregnant": True},
            "warn",
            True,
        ),
        (
            therapist(L4),
            PlanRequest(techniques=(EFF,), regions=("region.elbow",)),
            {"pregnant": True},
            "allow",
            True,
        ),
        (therapist(L3), PlanRequest(techniques=(DTF,)), {}, "warn", True),
        (therapist(L3), PlanRequest(techniques=(STR,)), {}, "block", True),
        (therapist(L3, L4), PlanRequest(techniques=(STR,)), {}, "allow", True),
        (therapist(L3), PlanRequest(techniques=(TAPE,)), {}, "block", True),
        (therapist(L3, cpd=("cpd.taping",)), PlanRequest(techniques=(TAPE,)), {}, "allow", True),
        (therapist(L3, cpd=("cpd.taping",)), PlanRequest(techniques=(CUP,)), {}, "block", True),
        (therapist(L3), PlanRequest(techniques=("technique.vibration",)), {}, "block", True),
        # A positive test tied to a condition puts the presentation in that condition's category.
        (therapist(L3), PlanRequest(), {"test_cozen": True}, "block", True),
        (therapist(L4), PlanRequest(), {"test_cozen": True}, "warn", True),
        (therapist(L4), PlanRequest(), {"test_other": True}, "allow", True),
        (
            therapist(L4, insurance="insurer.basic"),
            PlanRequest(techniques=(STR,)),
            {},
            "allow",
            True,
        ),
        (
            therapist(L4, insurance="insurer.basic"),
            PlanRequest(techniques=(CUP,)),
            {},
            "block",
            True,
        ),
        (therapist(L4, insurance="insurer.basic", expired=True), PlanRequest(), {}, "block", False),
        (
            therapist(L4, insurance="insurer.basic"),
            PlanRequest(condition_category=POST_SURGICAL),
            {},
            "block",
            True,
        ),
    ],
)
def test_it_decides_scope(
    kb: Knowledge,
    who: TherapistFacts,
    request_: PlanRequest,
    findings: dict[str, object],
    outcome: str,
    overridable: bool,
) -> None:
    decision = scope(who, request_, kb, findings)  # type: ignore[arg-type]
    assert (decision.outcome, decision.overridable) == (outcome, overridable), decision.items


def test_it_explains_a_category_block_and_refers(kb: Knowledge) -> None:
    decision = scope(therapist(L3), PlanRequest(condition=LATERAL), kb)
    assert decision.referral == "a Level 5 soft tissue therapist or a physiotherapist"
    item, insurance = decision.items
    assert item.subject == CHRONIC
    assert item.reason == (
        "As a Level 3 sports massage therapist you may not treat chronic or complex pain."
    )
    assert item.sources == ("src-a", "src-a")
    assert (insurance.subject, insurance.outcome) == ("insurance", "block")
    assert insurance.reason == (
        "Your insurance follows your qualification, so it would not cover this treatment."
    )


def test_it_says_when_a_diagnosis_widened_scope(kb: Knowledge) -> None:
    decision = scope(
        therapist(L4), PlanRequest(condition=LATERAL), kb, {"diagnosed_by_clinician": True}
    )
    (item,) = decision.items
    assert item.subject == CHRONIC
    assert item.because == ("diagnosed_by_clinician",)
    assert item.reason.endswith("because a clinician has diagnosed it.")


def test_it_refers_red_flags_and_puts_them_first(kb: Knowledge) -> None:
    decision = scope(
        therapist(L3), PlanRequest(condition=LATERAL), kb, {"saddle_anaesthesia": True}
    )
    assert decision.referral == "999 or A&E now"
    assert [i.subject for i in decision.items] == ["red-flag.cauda-equina", CHRONIC, "insurance"]
    assert decision.items[0].because == ("saddle_anaesthesia",)
    assert decision.items[-1].reason.startswith("No therapist's insurance covers")


@pytest.mark.parametrize(
    ("who", "technique", "reason"),
    [
        (therapist(L3), EFF, "As a Level 3 sports massage therapist you may use Effleurage."),
        (
            therapist(L3),
            STR,
            "As a Level 3 sports massage therapist you may not use Soft tissue release.",
        ),
        (
            therapist(L3),
            DTF,
            "As a Level 3 sports massage therapist you may, with care and a recorded reason, use "
            "Deep transverse friction.",
        ),
        (
            therapist(L3),
            TAPE,
            "As a Level 3 sports massage therapist you may use Kinesiology taping only with a CPD "
            "certificate for it.",
        ),
        (
            therapist(L3, cpd=("cpd.taping",)),
            TAPE,
            "Your Kinesiology taping CPD certificate lets you use Kinesiology taping.",
        ),
    ],
)
def test_it_explains_techniques(
    kb: Knowledge, who: TherapistFacts, technique: str, reason: str
) -> None:
    items = scope(who, PlanRequest(techniques=(technique,)), kb).items
    (item,) = [i for i in items if i.subject == technique]
    assert item.reason == reason
    assert items[0].subject == "category.maintenance"


def test_it_explains_insurance(kb: Knowledge) -> None:
    who = therapist(L4, insurance="insurer.basic", expired=True)
    (item,) = scope(who, PlanRequest(techniques=(CUP,)), kb).items[:1]
    assert item.reason == "Your Basic schedule policy has expired: renew it before you treat."
    who = therapist(L4, insurance="insurer.basic")
    items = scope(who, PlanRequest(condition_category=POST_SURGICAL, techniques=(CUP,)), kb).items
    assert [i.reason for i in items[:2]] == [
        "Your Basic schedule policy does not cover Cupping.",
        "Your Basic schedule policy excludes post-surgical.",
    ]


def test_it_names_the_region_to_avoid(kb: Knowledge) -> None:
    decision = scope(therapist(L4), PlanRequest(techniques=(EFF,)), kb, {"open_wound": True})
    assert decision.items[-1].reason == (
        "Open wound: avoid the affected area. Keep clear of the wound."
    )
    assert decision.referral is None


def test_it_requires_a_qualification(kb: Knowledge) -> None:
    item, insurance = scope(therapist(), PlanRequest(techniques=(EFF,)), kb).items
    assert (item.subject, item.reason) == ("qualification", "No qualification is recorded.")
    assert insurance.reason.startswith("Your insurance follows your qualification")


@pytest.mark.parametrize(
    ("who", "request_", "key"),
    [
        (therapist("qualification.smt-l9"), PlanRequest(), "therapist.qualifications"),
        (therapist(L3, cpd=("cpd.reiki",)), PlanRequest(), "therapist.cpd"),
        (therapist(L3, insurance="insurer.none"), PlanRequest(), "therapist.insurance"),
        (therapist(L3), PlanRequest(condition="condition.flu"), "plan.condition"),
        (therapist(L3), PlanRequest(condition_category="category.x"), "plan.condition_category"),
        (therapist(L3), PlanRequest(techniques=("technique.reiki",)), "plan.techniques"),
        (therapist(L3), PlanRequest(regions=("region.toe",)), "plan.regions"),
    ],
)
def test_it_refuses_unknown_ids(
    kb: Knowledge, who: TherapistFacts, request_: PlanRequest, key: str
) -> None:
    with pytest.raises(CaseError) as raised:
        scope(who, request_, kb)
    assert raised.value.key == key

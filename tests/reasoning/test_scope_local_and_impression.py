"""Local contraindications block on the planned area; Level 3 sees no working impression."""

from __future__ import annotations

from softtissue.reasoning import (
    PlanRequest,
    ScopeDecision,
    TherapistFacts,
    default_knowledge,
    differential,
    impression_for,
    may_form_impression,
    scope,
)
from softtissue.reasoning.scope import ScopeItem

KB = default_knowledge()
L3 = TherapistFacts(qualifications=("qualification.smt-l3",))
L5 = TherapistFacts(qualifications=("qualification.stt-l5",))
FRESH = {"age": 24, "days_since_injury": 2, "onset": "sudden", "pain_on_stretch": True}
DTF = "technique.deep-transverse-friction"
LEG = "region.leg"


def item(decision: ScopeDecision, subject: str) -> ScopeItem:
    (found,) = [i for i in decision.items if i.subject == subject]
    return found


def test_it_blocks_friction_on_a_fresh_injury_and_refuses_an_override() -> None:
    plan = PlanRequest(condition="condition.hamstring-strain", techniques=(DTF,), regions=(LEG,))
    decision = scope(L5, plan, KB, FRESH, LEG)
    assert (decision.outcome, decision.overridable) == ("block", False)
    hit = item(decision, "contraindication.acute-injury-72h")
    assert hit.reason.startswith(
        "Acute soft tissue injury (first 72 hours): do not use Deep transverse (corrective) "
        "friction on the thigh and lower leg."
    )
    assert decision.items[-1].reason == (
        "Treating against a contraindication is outside your training and so outside your "
        "insurance cover."
    )


def test_it_warns_when_the_friction_is_elsewhere() -> None:
    plan = PlanRequest(
        condition_category="category.minor-soft-tissue-acute",
        techniques=(DTF,),
        regions=("region.lumbar-pelvis",),
    )
    decision = scope(L5, plan, KB, FRESH, LEG)
    hit = item(decision, "contraindication.acute-injury-72h")
    assert hit.outcome == "warn"
    assert "avoid thigh and lower leg" in hit.reason


def test_it_keeps_the_word_affected_without_a_region() -> None:
    plan = PlanRequest(condition_category="category.minor-soft-tissue-acute", techniques=(DTF,))
    hit = item(scope(L5, plan, KB, FRESH), "contraindication.acute-injury-72h")
    assert (hit.outcome, "avoid the affected area" in hit.reason) == ("warn", True)


def test_it_does_not_limit_techniques_the_rule_does_not_name() -> None:
    plan = PlanRequest(techniques=("technique.heat-ice",), regions=(LEG,))
    decision = scope(L5, plan, KB, FRESH, LEG)
    assert "contraindication.acute-injury-72h" not in {i.subject for i in decision.items}


def test_it_withholds_the_working_impression_from_level_3() -> None:
    findings = {"lateral_elbow_pain": True, "lateral_epicondyle_tenderness": True}
    full = differential(findings, KB, "region.elbow")
    assert full.candidates and not full.withheld
    assert not may_form_impression(L3, KB)
    assert may_form_impression(L5, KB)
    shown = impression_for(L3, full, KB)
    assert (shown.candidates, shown.enough_information, shown.withheld) == ((), False, True)
    assert "needs assessment by someone qualified" in shown.message
    assert impression_for(L5, full, KB) is full
    assert impression_for(None, full, KB) is full


def test_it_says_maintenance_only_when_no_flag_fired() -> None:
    plan = PlanRequest(
        condition_category="category.maintenance", techniques=("technique.effleurage",)
    )
    calm = item(scope(L3, plan, KB, {"age": 40}), "category.maintenance")
    assert calm.reason.startswith("No injury features and no red flags are recorded")
    flagged = scope(L3, plan, KB, {"age": 40, "saddle_anaesthesia": True})
    assert not item(flagged, "category.maintenance").reason.startswith("No injury features")


def test_it_ignores_an_impression_raised_by_age_alone() -> None:
    plan = PlanRequest(
        condition_category="category.maintenance", techniques=("technique.effleurage",)
    )
    decision = scope(L3, plan, KB, {"age": 46}, "region.elbow")
    assert decision.outcome == "allow"


def test_it_names_the_findings_that_overruled_the_plan() -> None:
    plan = PlanRequest(
        condition_category="category.maintenance", techniques=("technique.effleurage",)
    )
    decision = scope(L3, plan, KB, {"days_since_injury": 5}, LEG)
    reason = item(decision, "category.minor-soft-tissue-post-acute").reason
    assert reason.startswith(
        "The findings (days since injury) show minor soft tissue injury, post-acute, so the plan "
        "is checked as that, not as maintenance and event work."
    )
    undeclared = scope(
        L3, PlanRequest(techniques=("technique.effleurage",)), KB, {"days_since_injury": 5}, LEG
    )
    assert item(undeclared, "category.minor-soft-tissue-post-acute").reason.startswith(
        "The findings (days since injury) show minor soft tissue injury, post-acute."
    )

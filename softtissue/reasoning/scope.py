"""Scope of practice: may this therapist treat this presentation with these techniques today."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from softtissue.reasoning import explanations as why
from softtissue.reasoning.categories import Derivation, derive_category, rank
from softtissue.reasoning.compiled import QualificationScope
from softtissue.reasoning.contraindications import ContraindicationHit, area, contraindications
from softtissue.reasoning.differential import Differential, differential
from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import PlanRequest, TherapistFacts
from softtissue.reasoning.findings import Findings
from softtissue.reasoning.triage import triage

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

OUTCOME_ORDER = (
    "allow",
    "warn",
    "require_clearance",
    "block",
    "refer_routine",
    "refer_soon",
    "refer_urgent",
    "refer_emergency",
)
_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOME_ORDER)}
PRE_DIAGNOSED = "category.pre-diagnosed-injury"
# [PROJECT] A clinician's diagnosis widens what a therapist may treat for musculoskeletal
# injuries only: it does not remove the need for surgical clearance, make a central neurological
# condition an injury, or make a red flag treatable.
_NOT_LIFTED_BY_DIAGNOSIS = frozenset(
    {PRE_DIAGNOSED, "category.red-flag", "category.post-surgical", "category.central-neurological"}
)
_ACTIVITY = "orthopaedic_special_tests"
_IMPRESSION = "working_impression"
_STOPPING = frozenset(OUTCOME_ORDER[OUTCOME_ORDER.index("block") :])
_WHERE = {"affected": "the affected area", "all": "every region"}
_MAY = {
    "allow": "may",
    "warn": "may, with care and a recorded reason,",
    "require_clearance": "may, only with medical clearance,",
    "block": "may not",
}


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """One check in the scope decision: what was checked, its outcome and why."""

    subject: str
    outcome: str
    reason: str
    because: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    """The worst outcome across the checks, whether it may be overridden and where to refer."""

    outcome: str
    items: tuple[ScopeItem, ...]
    overridable: bool
    referral: str | None


@dataclass(slots=True)
class _Tally:
    items: list[ScopeItem] = field(default_factory=list)
    hard: list[bool] = field(default_factory=list)
    referrals: list[str | None] = field(default_factory=list)

    def add(self, item: ScopeItem, hard: bool = False, referral: str | None = None) -> None:
        self.items.append(item)
        self.hard.append(hard)
        self.referrals.append(referral)

    def decision(self, kb: Knowledge) -> ScopeDecision:
        # Never empty: there is always a category item, or the missing qualification's block.
        worst = max(_RANK[item.outcome] for item in self.items)
        deciding = [i for i, item in enumerate(self.items) if _RANK[item.outcome] == worst]
        referral = next((self.referrals[i] for i in deciding if self.referrals[i]), None)
        overridable = not any(self.hard[i] for i in deciding)
        outcome = OUTCOME_ORDER[worst]
        items = tuple(self.items)
        if outcome in _STOPPING:
            items += _insurance_item(outcome, [self.items[i] for i in deciding], kb)
        return ScopeDecision(outcome, items, overridable, referral)


def _insurance_item(
    outcome: str, deciding: list[ScopeItem], kb: Knowledge
) -> tuple[ScopeItem, ...]:
    """One plain sentence on why the therapist's insurance would not cover going ahead."""
    subjects = [item.subject for item in deciding]
    if any(subject.startswith("red-flag.") for subject in subjects):
        key = why.INSURANCE_RED_FLAG
    elif any(subject.startswith("contraindication.") for subject in subjects):
        key = why.INSURANCE_CONTRAINDICATION
    elif all(subject.startswith("insurer.") for subject in subjects):
        return ()  # the policy's own words already say what it does not cover
    else:
        key = why.INSURANCE_QUALIFICATION
    return (ScopeItem("insurance", outcome, why.explain(kb, key), (), why.sources_of(kb, key)),)


def scope(
    therapist: TherapistFacts,
    plan: PlanRequest,
    kb: Knowledge,
    findings: Findings | None = None,
    region: str | None = None,
    impression: Differential | None = None,
) -> ScopeDecision:
    """Check red flags, contraindications, insurance, qualification, assessment and techniques."""
    _require_known(therapist, plan, kb)
    findings = findings or {}
    tally = _Tally()
    flags = triage(findings, kb).flags
    for flag in flags:
        tally.add(
            ScopeItem(flag.rule_id, flag.urgency, flag.message, flag.because, flag.sources),
            hard=True,
            referral=flag.referral,
        )
    fired = contraindications(findings, kb, plan.techniques, plan.regions, region)
    # A local contraindication still warns when the plan is elsewhere ("avoid the injured
    # area"), but not when none of the planned techniques is one it limits.
    hits = [h for h in fired if h.relevant or (h.tier == "local" and h.techniques)]
    for hit in (h for h in hits if h.tier == "absolute"):
        reason = f"{hit.name}: {hit.action}"
        tally.add(ScopeItem(hit.id, "block", reason, hit.because, hit.sources), hard=True)
    declared = plan.condition_category
    if declared is None and plan.condition is not None:
        declared = str(kb.conditions[plan.condition]["category"])
    derived = derive_category(findings, kb, _impression(findings, kb, region, impression))
    category = _stricter(declared, derived, kb)
    _insurance(therapist, plan, category, kb, tally)
    scopes = [kb.scopes[q] for q in therapist.qualifications]
    if not scopes:
        tally.add(ScopeItem("qualification", "block", "No qualification is recorded."))
    else:
        _category(scopes, category, findings, kb, tally, declared, derived, bool(flags))
        _assessment(scopes, findings, kb, tally)
        for technique in plan.techniques:
            _technique(scopes, technique, therapist, kb, tally)
    for hit in (h for h in hits if h.tier == "caution"):
        reason = f"{hit.name}: {hit.action}"
        tally.add(ScopeItem(hit.id, hit.outcome, reason, hit.because, hit.sources))
    for hit in (h for h in hits if h.tier == "local"):
        _local(hit, plan, kb, tally, region)
    return tally.decision(kb)


def may_form_impression(therapist: TherapistFacts, kb: Knowledge) -> bool:
    """Whether any of the therapist's qualifications includes forming a working impression."""
    return any(
        kb.scopes[q].assessment.get(_IMPRESSION, "block") != "block"
        for q in therapist.qualifications
    )


def impression_for(
    therapist: TherapistFacts | None, impression: Differential, kb: Knowledge
) -> Differential:
    """The working impression as this therapist may see it: withheld where scope excludes it."""
    if therapist is None or may_form_impression(therapist, kb):
        return impression
    message = why.explain(kb, why.NO_WORKING_IMPRESSION)
    return dataclasses.replace(
        impression, candidates=(), enough_information=False, message=message, withheld=True
    )


def _impression(
    findings: Findings, kb: Knowledge, region: str | None, impression: Differential | None
) -> str | None:
    # The category follows what the findings point to, whether or not this therapist may be
    # shown the working impression itself. A leader raised by age or sex alone says nothing
    # about this client's problem, so it does not count. A caller that has already ranked the
    # region's candidates (the panel, a case with its pretest) passes them in.
    if impression is None:
        if region is None:
            return None
        impression = differential(findings, kb, region)
    if not impression.enough_information:
        return None
    leader = impression.candidates[0]
    # A published cluster is clinical findings by definition.
    clinical = any(
        m.members or kb.findings[m.finding].kind != "demographic" for m in leader.because
    )
    return leader.condition if clinical else None


def _stricter(declared: str | None, derived: Derivation, kb: Knowledge) -> str:
    if declared is not None and rank(declared, kb) >= rank(derived.category, kb):
        return declared
    return derived.category


def _local(
    hit: ContraindicationHit,
    plan: PlanRequest,
    kb: Knowledge,
    tally: _Tally,
    region: str | None,
) -> None:
    """Block the named techniques on the named regions when planned there; warn otherwise."""
    on_plan = tuple(r for r in hit.regions if r in plan.regions)
    techniques = tuple(t for t in hit.techniques if t in plan.techniques)
    if on_plan and techniques:
        names = _join([kb.techniques[t]["name"] for t in techniques])
        where = _join([kb.regions[r]["label"] for r in on_plan])
        reason = f"{hit.name}: do not use {names} on the {_lower(where)}. {hit.action}"
        # [PROJECT] Like an absolute contraindication, a local one on the planned area is not a
        # judgement call that a written reason can outweigh, so it cannot be overridden.
        tally.add(ScopeItem(hit.id, "block", reason, hit.because, hit.sources), hard=True)
        return
    limit = area(kb.contraindications[hit.id]["limits"].get("regions", "all"), region)
    named = [limit] if isinstance(limit, str) else limit
    where = ", ".join(_WHERE.get(r) or _lower(kb.regions[r]["label"]) for r in named)
    reason = f"{hit.name}: avoid {where}. {hit.action}"
    tally.add(ScopeItem(hit.id, "warn", reason, hit.because, hit.sources))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _require_known(therapist: TherapistFacts, plan: PlanRequest, kb: Knowledge) -> None:
    checks = (
        ("therapist.qualifications", therapist.qualifications, kb.qualifications),
        ("therapist.cpd", therapist.cpd, kb.cpd),
        ("therapist.insurance", _some(therapist.insurance), kb.insurers),
        ("plan.condition", _some(plan.condition), kb.conditions),
        ("plan.condition_category", _some(plan.condition_category), kb.categories),
        ("plan.techniques", plan.techniques, kb.techniques),
        ("plan.regions", plan.regions, kb.regions),
    )
    for key, ids, known in checks:
        unknown = [value for value in ids if value not in known]
        if unknown:
            raise CaseError("<input>", key, f"unknown id {unknown[0]!r}")


def _some(value: str | None) -> tuple[str, ...]:
    return () if value is None else (value,)


def _insurance(
    therapist: TherapistFacts,
    plan: PlanRequest,
    category: str | None,
    kb: Knowledge,
    tally: _Tally,
) -> None:
    if therapist.insurance is None:
        return
    insurer = kb.insurers[therapist.insurance]
    sources = tuple(insurer["sources"])
    if therapist.insurance_expired:
        # [PROJECT] Treating uninsured is never a clinical judgement, so it cannot be overridden.
        reason = f"Your {insurer['name']} policy has expired: renew it before you treat."
        tally.add(ScopeItem(insurer["id"], "block", reason, (), sources), hard=True)
        return
    for technique in plan.techniques:
        if technique not in insurer["covers"]:
            name = kb.techniques[technique]["name"]
            reason = f"Your {insurer['name']} policy does not cover {name}."
            tally.add(ScopeItem(insurer["id"], "block", reason, (), sources))
    if category is not None and category in insurer["excludes_categories"]:
        label = _lower(kb.categories[category]["label"])
        reason = f"Your {insurer['name']} policy excludes {label}."
        tally.add(ScopeItem(insurer["id"], "block", reason, (), sources))


def _most_permissive(
    scopes: list[QualificationScope], outcome_of: Callable[[QualificationScope], str]
) -> tuple[QualificationScope, str]:
    best = min(scopes, key=lambda s: _RANK[outcome_of(s)])
    return best, outcome_of(best)


def _category(
    scopes: list[QualificationScope],
    category: str,
    findings: Findings,
    kb: Knowledge,
    tally: _Tally,
    declared: str | None,
    derived: Derivation,
    flagged: bool,
) -> None:
    diagnosed = findings.get("diagnosed_by_clinician") is True
    lifts = diagnosed and category not in _NOT_LIFTED_BY_DIAGNOSIS

    def outcome_of(s: QualificationScope) -> str:
        own = s.conditions.get(category, "block")
        if lifts and s.conditions.get(PRE_DIAGNOSED) == "allow":
            return "allow"
        return own

    best, outcome = _most_permissive(scopes, outcome_of)
    lifted = lifts and best.conditions.get(category, "block") != outcome
    label = _lower(kb.categories[category]["label"])
    reason = f"As a {best.title} you {_MAY[outcome]} treat {label}"
    reason += " because a clinician has diagnosed it." if lifted else "."
    because: tuple[str, ...] = ("diagnosed_by_clinician",) if lifted else ()
    sources = best.sources + tuple(kb.categories[category]["sources"])
    # Say why the category is the one checked: the findings overruled the plan, or there is
    # nothing but general tension (which is not true once a red flag has fired).
    overruled = declared != category and derived.injury
    explained = overruled or not (derived.injury or flagged)
    if category == derived.category and explained:
        reason = _derived_reason(declared, derived, kb) + " " + reason
        because = derived.because + because
        sources += derived.sources
    referral = best.refer_to if outcome == "block" else None
    tally.add(ScopeItem(category, outcome, reason, because, sources), referral=referral)


def _derived_reason(declared: str | None, derived: Derivation, kb: Knowledge) -> str:
    """Why the category checked is the one the findings show rather than the one declared."""
    if not derived.injury:
        return why.explain(kb, why.MAINTENANCE)
    label = _lower(kb.categories[derived.category]["label"])
    shown = ", ".join(_finding_label(code, kb) for code in derived.because)
    said = f"The findings ({shown}) show {label}" if shown else f"The findings point to {label}"
    if declared is None:
        return f"{said}."
    laxer = _lower(kb.categories[declared]["label"])
    return f"{said}, so the plan is checked as that, not as {laxer}."


def _finding_label(code: str, kb: Knowledge) -> str:
    finding = kb.findings.get(code)
    return _lower(finding.label) if finding is not None else code


def _assessment(
    scopes: list[QualificationScope], findings: Findings, kb: Knowledge, tally: _Tally
) -> None:
    tests = tuple(c for c in findings if getattr(kb.findings.get(c), "kind", None) == "test")
    if not tests:
        return
    best, outcome = _most_permissive(scopes, lambda s: s.assessment.get(_ACTIVITY, "block"))
    reason = f"As a {best.title} you {_MAY[outcome]} use orthopaedic special tests."
    tally.add(ScopeItem(_ACTIVITY, outcome, reason, tests, best.sources))


def _technique(
    scopes: list[QualificationScope],
    technique: str,
    therapist: TherapistFacts,
    kb: Knowledge,
    tally: _Tally,
) -> None:
    granting = [c for c in therapist.cpd if technique in kb.cpd[c]["grants"]]

    def outcome_of(s: QualificationScope) -> str:
        outcome = s.techniques.get(technique, "block")
        if outcome == "cpd":
            return "allow" if granting else "block"
        return outcome

    best, outcome = _most_permissive(scopes, outcome_of)
    name = kb.techniques[technique]["name"]
    sources = best.sources
    if best.techniques.get(technique) == "cpd":
        if granting:
            label = kb.cpd[granting[0]]["label"]
            reason = f"Your {label} certificate lets you use {name}."
            sources += tuple(kb.cpd[granting[0]]["sources"])
        else:
            reason = f"As a {best.title} you may use {name} only with a CPD certificate for it."
    else:
        reason = f"As a {best.title} you {_MAY[outcome]} use {name}."
    referral = best.refer_to if outcome == "block" else None
    tally.add(ScopeItem(technique, outcome, reason, (), sources), referral=referral)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]

"""Evaluating a case (triage, contraindications, differential, scope) and checking vignettes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from softtissue.reasoning.casefiles import Case
from softtissue.reasoning.contraindications import ContraindicationHit, contraindications
from softtissue.reasoning.differential import Differential, differential
from softtissue.reasoning.facts import PlanRequest, merge_findings
from softtissue.reasoning.safety import SafetyNet, safety_nets
from softtissue.reasoning.scope import ScopeDecision, impression_for, scope
from softtissue.reasoning.triage import Triage, triage

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every answer the core gives for one case."""

    triage: Triage
    contraindications: tuple[ContraindicationHit, ...]
    differential: Differential
    scope: ScopeDecision | None
    safety_nets: tuple[SafetyNet, ...] = ()


def evaluate(case: Case, kb: Knowledge) -> Evaluation:
    """Triage, contraindications, differential and (with a therapist) scope for a case."""
    findings = merge_findings(case.findings, case.client, kb)
    request = case.plan or PlanRequest()
    result = triage(findings, kb)
    ranked = differential(findings, kb, case.region, case.pretest, case.pretest_source)
    return Evaluation(
        triage=result,
        contraindications=contraindications(
            findings, kb, request.techniques, request.regions, case.region
        ),
        differential=impression_for(case.therapist, ranked, kb),
        scope=None
        if case.therapist is None
        else scope(case.therapist, request, kb, findings, case.region, ranked),
        safety_nets=safety_nets(result, case.region, kb),
    )


def evaluation_json(ev: Evaluation) -> dict[str, Any]:
    """The evaluation as the JSON contract of `softtissue reason --json`."""
    return {
        "triage": {
            "urgency": ev.triage.urgency,
            "flags": [
                {
                    "id": f.rule_id,
                    "urgency": f.urgency,
                    "message": f.message,
                    "referral": f.referral,
                    "because": list(f.because),
                    "sources": list(f.sources),
                }
                for f in ev.triage.flags
            ],
        },
        "contraindications": [
            {
                "id": h.id,
                "name": h.name,
                "tier": h.tier,
                "outcome": h.outcome,
                "techniques": list(h.techniques),
                "regions": list(h.regions),
                "action": h.action,
                "because": list(h.because),
                "sources": list(h.sources),
            }
            for h in ev.contraindications
        ],
        "differential": [
            {
                "condition": c.condition,
                "name": c.name,
                "probability": c.probability,
                "prior": c.prior,
                "prior_basis": c.prior_basis,
                "strength": c.strength,
                "percent": c.percent,
                "mostly_expert_estimate": c.mostly_expert_estimate,
                "because": [
                    {"finding": m.finding, "value": m.value, "lr": m.lr, "sources": list(m.sources)}
                    for m in c.because
                ],
                "set_aside": [
                    {
                        "finding": m.finding,
                        "value": m.value,
                        "lr": m.lr,
                        "sources": list(m.sources),
                        "why": m.why,
                    }
                    for m in c.set_aside
                ],
                "sources": list(c.sources),
            }
            for c in ev.differential.candidates
        ],
        "differential_summary": {
            "label": ev.differential.label,
            "enough_information": ev.differential.enough_information,
            "withheld": ev.differential.withheld,
            "message": ev.differential.message,
            "pretest_source": ev.differential.pretest_source,
        },
        "scope": None if ev.scope is None else _scope_json(ev.scope),
        "safety_nets": [safety_net_json(net) for net in ev.safety_nets],
    }


def safety_net_json(net: SafetyNet) -> dict[str, Any]:
    """One safety net as JSON: what to tell the client, the warning signs by band, review."""
    return {
        "id": net.id,
        "name": net.name,
        "tell": net.tell,
        "seek_help": [
            {"band": group.band, "where": group.where, "signs": list(group.signs)}
            for group in net.seek_help
        ],
        "review": net.review,
        "sources": list(net.sources),
    }


def _scope_json(decision: ScopeDecision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "overridable": decision.overridable,
        "referral": decision.referral,
        "items": [
            {
                "subject": i.subject,
                "outcome": i.outcome,
                "reason": i.reason,
                "because": list(i.because),
                "sources": list(i.sources),
            }
            for i in decision.items
        ],
    }


def check_case(case: Case, ev: Evaluation) -> list[str]:
    """The case's expectations that the evaluation does not meet, in plain words."""
    expect = case.expect
    if expect is None:
        return []
    unmet: list[str] = []
    if expect.triage is not None and ev.triage.urgency != expect.triage:
        unmet.append(f"triage: expected {expect.triage}, got {ev.triage.urgency}")
    fired = {f.rule_id for f in ev.triage.flags}
    unmet += [f"flags: expected {flag} to fire" for flag in expect.flags if flag not in fired]
    unmet += [f"not_flags: {flag} fired" for flag in expect.not_flags if flag in fired]
    top3 = [c.condition for c in ev.differential.candidates[:3]]
    unmet += [
        f"top3: expected {condition} among {', '.join(top3) or 'no candidates'}"
        for condition in expect.top3
        if condition not in top3
    ]
    hits = {h.id for h in ev.contraindications}
    unmet += [
        f"contraindications: expected {c} to fire"
        for c in expect.contraindications
        if c not in hits
    ]
    if expect.scope is not None:
        got = "no therapist given" if ev.scope is None else ev.scope.outcome
        if got != expect.scope:
            unmet.append(f"scope: expected {expect.scope}, got {got}")
    return unmet

"""The scope gate: fetch the therapist's and client's facts, ask the core, judge the clearance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from softtissue.accounts.facts import fetch_facts
from softtissue.accounts.models import Therapist
from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.panel import assessment_findings, load_records
from softtissue.assessments.questions import kb
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import record_rows
from softtissue.clients.alerts import client_facts
from softtissue.reasoning import (
    PlanRequest,
    PlanSuggestion,
    ScopeDecision,
    TherapistFacts,
    client_findings,
    plan,
    scope,
)
from softtissue.reasoning.findings import Value
from softtissue.reasoning.scope import OUTCOME_ORDER
from softtissue.treatments.models import MedicalClearance, Override, PlanTechnique, TreatmentPlan
from softtissue.treatments.models import ScopeDecision as ScopeRecord

# Outcomes that may go ahead once the therapist has done what the gate asks.
TREATABLE = ("allow", "warn", "require_clearance")


def facts_today(
    therapist: Therapist | None, episode: Episode
) -> tuple[TherapistFacts, dict[str, Value]]:
    """The therapist's and the episode's facts as of today, with the therapist's records fetched."""
    today = timezone.localdate()
    facts = fetch_facts(therapist, today) or TherapistFacts(qualifications=())
    return facts, episode_findings(episode, today)


def episode_findings(episode: Episode, today: date) -> dict[str, Value]:
    """Findings of the latest assessment, or the client's record alone before any assessment."""
    latest = Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode).first()
    if latest is not None:
        return assessment_findings(load_records(latest), today)
    return client_findings(client_facts(episode.client, today), kb())


@dataclass(frozen=True, slots=True)
class Request:
    """What is planned, in knowledge ids, and the region of the episode's complaint."""

    condition: str = ""
    condition_category: str = ""
    techniques: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    complaint_region: str = ""


def check(therapist: TherapistFacts, request: Request, findings: dict[str, Value]) -> ScopeDecision:
    """The core's scope decision for this plan."""
    planned = PlanRequest(
        condition=request.condition or None,
        condition_category=request.condition_category or None,
        techniques=tuple(dict.fromkeys(request.techniques)),
        regions=tuple(dict.fromkeys(request.regions)),
    )
    return scope(therapist, planned, kb(), findings, request.complaint_region or None)


def suggest(
    condition: str, therapist: TherapistFacts, findings: dict[str, Value]
) -> PlanSuggestion | None:
    """The core's suggested techniques for the condition, each with its scope outcome."""
    if condition not in kb().conditions:
        return None
    return plan(condition, kb(), phase=None, therapist=therapist, findings=findings)


def suggested_rows(suggestion: PlanSuggestion | None, region: str) -> list[dict[str, str]]:
    """Rows to start the plan with: suggestions in scope and not limited by a contraindication."""
    if suggestion is None:
        return []
    return [
        {"technique": t.technique, "region": region}
        for t in suggestion.techniques
        if (t.outcome is None or t.outcome in TREATABLE) and not t.contraindications
    ]


@dataclass(frozen=True, slots=True)
class Clearance:
    """Whether treatment may go ahead under this decision, and what is still needed if not."""

    may_treat: bool
    needs: str


def clearance(
    outcome: str,
    overridable: bool,
    acknowledged: bool,
    cleared_medically: bool,
    overridden: bool,
) -> Clearance:
    """Judge a recorded decision: warn needs an acknowledgement, clearance a record, and so on."""
    if overridden and overridable and outcome != "allow":
        return Clearance(True, "")
    if outcome == "allow":
        return Clearance(True, "")
    if outcome == "warn":
        if acknowledged:
            return Clearance(True, "")
        return Clearance(False, "acknowledge")
    if outcome == "require_clearance":
        if cleared_medically:
            return Clearance(True, "")
        return Clearance(False, "clearance")
    return Clearance(False, "refer")


def plan_clearance(plan: TreatmentPlan) -> Clearance:
    """Whether the plan's recorded decision lets treatment go ahead now."""
    decision = ScopeRecord.objects.filter(clinic_id=plan.clinic_id, plan=plan).first()
    if decision is None:
        return Clearance(False, "refer")
    return clearance(
        decision.outcome,
        decision.overridable,
        acknowledged=decision.acknowledged_at is not None,
        cleared_medically=MedicalClearance.objects.filter(
            clinic_id=plan.clinic_id, plan=plan
        ).exists(),
        overridden=Override.objects.filter(clinic_id=plan.clinic_id, plan=plan).exists(),
    )


def record_decision(plan: TreatmentPlan, decision: ScopeDecision) -> ScopeRecord:
    """Keep the core's decision for the plan, with each item's outcome and reason."""
    return ScopeRecord.objects.create(
        clinic_id=plan.clinic_id,
        plan=plan,
        outcome=decision.outcome,
        overridable=decision.overridable,
        referral=decision.referral or "",
        items=[
            {"subject": i.subject, "outcome": i.outcome, "reason": i.reason} for i in decision.items
        ],
    )


def save_plan(
    plan: TreatmentPlan,
    chosen: list[dict[str, str]],
    facts: TherapistFacts,
    findings: dict[str, Value],
) -> TreatmentPlan:
    """Ask the gate about the plan, then keep the plan, its techniques and the decision together."""
    decision = check(
        facts,
        Request(
            condition=plan.condition,
            condition_category=plan.condition_category,
            techniques=tuple(r["technique"] for r in chosen),
            regions=tuple(r["region"] for r in chosen),
            complaint_region=plan.episode.region,
        ),
        findings,
    )
    with transaction.atomic():
        plan.save()
        techniques = PlanTechnique.objects.bulk_create(
            PlanTechnique(
                clinic_id=plan.clinic_id, plan=plan, technique=r["technique"], region=r["region"]
            )
            for r in chosen
        )
        # bulk_create sends no signal, so the rows' audit events are written here.
        record_rows(AuditEvent.Action.CREATE, techniques)
        record_decision(plan, decision)
    return plan


def note_clearance(plan: TreatmentPlan, decision: ScopeDecision, acknowledged: bool) -> Clearance:
    """Whether a note's techniques may be recorded under the episode's plan."""
    record = ScopeRecord.objects.filter(clinic_id=plan.clinic_id, plan=plan).first()
    planned = record.outcome if record else "refer_emergency"
    # The plan's override covers what the plan declared, not a worse technique added later.
    covered = OUTCOME_ORDER.index(decision.outcome) <= OUTCOME_ORDER.index(planned)
    return clearance(
        decision.outcome,
        decision.overridable,
        acknowledged=acknowledged or (record is not None and record.acknowledged_at is not None),
        cleared_medically=MedicalClearance.objects.filter(
            clinic_id=plan.clinic_id, plan=plan
        ).exists(),
        overridden=covered
        and Override.objects.filter(clinic_id=plan.clinic_id, plan=plan).exists(),
    )

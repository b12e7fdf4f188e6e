"""Fetch an assessment's records, build its findings and ask the core: the reasoning panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from softtissue.assessments.findings import FindingInputs, MarkFacts, build_findings
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.questions import kb, movements, screening_codes
from softtissue.clients.alerts import client_facts
from softtissue.outcomes.models import MeasureAdministration
from softtissue.reasoning import (
    ContraindicationHit,
    Differential,
    PlanRequest,
    SafetyNet,
    ScopeDecision,
    TherapistFacts,
    Triage,
    contraindications,
    differential,
    motion,
    safety_nets,
    scope,
    triage,
)
from softtissue.reasoning.findings import Value
from softtissue.reasoning.scope import impression_for


@dataclass(frozen=True, slots=True)
class Records:
    """An assessment and everything recorded in it, fetched in a fixed number of queries."""

    assessment: Assessment
    marks: list[BodyChartMark]
    movements: list[RangeOfMotion]
    tests: list[SpecialTestResult]

    @property
    def region(self) -> str:
        """The episode's knowledge region id."""
        return self.assessment.episode.region

    def deficits(self) -> dict[tuple[str, str], motion.Deficit]:
        """(movement id, side) -> deficit against the norm and the other side."""
        normals = {m["id"]: int(m["normal_degrees"]) for m in movements(self.region)}
        measured = (motion.Measurement(m.movement_id, m.side, m.degrees) for m in self.movements)
        return motion.deficits(measured, normals)


def load_records(assessment: Assessment) -> Records:
    """The assessment's marks, measurements and test results (three queries)."""
    scoped = {"clinic_id": assessment.clinic_id, "assessment": assessment}
    return Records(
        assessment=assessment,
        marks=list(BodyChartMark.objects.filter(**scoped)),
        movements=list(RangeOfMotion.objects.filter(**scoped)),
        tests=list(SpecialTestResult.objects.filter(**scoped)),
    )


def assessment_findings(records: Records, today: date) -> dict[str, Value]:
    """The findings mapping the core reasons over, from the record and this assessment."""
    assessment = records.assessment
    facts = client_facts(assessment.episode.client, today)
    start_back_band = (
        MeasureAdministration.objects.filter(
            clinic_id=assessment.clinic_id,
            episode_id=assessment.episode_id,
            measure="start_back",
            scorable=True,
        )
        .order_by("-administered_at", "-pk")
        .values_list("band", flat=True)
        .first()
    )
    inputs = FindingInputs(
        onset=assessment.onset,
        symptom_duration_weeks=assessment.symptom_duration_weeks,
        previous_episodes=assessment.previous_episodes,
        answers=assessment.findings,
        tests={t.test_id: t.result for t in records.tests},
        marks=tuple(MarkFacts(m.symptom, m.intensity) for m in records.marks),
        rom_deficit=any(d.flagged for d in records.deficits().values()),
        age=facts.age,
        sex=assessment.episode.client.sex,
        history_codes=facts.conditions,
        medications=facts.medications,
        start_back_band=start_back_band or "",
    )
    return build_findings(inputs, kb())


@dataclass(frozen=True, slots=True)
class Panel:
    """What the reasoning panel shows."""

    findings: dict[str, Value]
    triage: Triage
    contraindications: tuple[ContraindicationHit, ...]
    differential: Differential
    scope: ScopeDecision | None
    scope_reason: str
    unanswered: tuple[str, ...]
    safety_nets: tuple[SafetyNet, ...] = ()

    def candidate_rows(self) -> list[dict[str, Any]]:
        """The candidates with their strength, a percentage only when published, and evidence."""
        labels = kb().findings

        def move(m: Any) -> dict[str, Any]:  # a differential Movement
            # A cluster is named by the knowledge and its value is how many findings were positive.
            if m.members:
                label, value = str(m.name), f"{m.value} of {len(m.members)} positive"
            else:
                label, value = labels[m.finding].label, shown(m.value)
            return {"label": label, "value": value, "lr": m.lr, "sources": m.sources, "why": m.why}

        return [
            {
                "candidate": candidate,
                "strength": candidate.strength,
                "percent": candidate.percent,
                "mostly_expert_estimate": candidate.mostly_expert_estimate,
                "moves": [move(m) for m in candidate.because],
                "set_aside": [move(m) for m in candidate.set_aside],
            }
            for candidate in self.differential.candidates
        ]


def shown(value: Value) -> str:
    """A finding's value in words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_", " ")


def reasoning_panel(records: Records, therapist: TherapistFacts | None, today: date) -> Panel:
    """Triage, contraindications, the working impression and a scope preview."""
    knowledge = kb()
    findings = assessment_findings(records, today)
    ranked = differential(findings, knowledge, records.region)
    impression = impression_for(therapist, ranked, knowledge)
    decision = None
    if therapist is None:
        reason = "You have no therapist profile, so your scope of practice cannot be checked."
    else:
        # The preview asks the gate's question with the gate's facts: what the findings show,
        # treated in this region. A plan then adds its techniques and any stricter category.
        plan = PlanRequest(regions=(records.region,))
        decision = scope(therapist, plan, knowledge, findings, records.region, ranked)
        reason = scope_sentence(decision)
    unanswered = tuple(c for c in screening_codes(records.region) if c not in findings)
    result = triage(findings, knowledge)
    return Panel(
        findings=findings,
        triage=result,
        contraindications=contraindications(findings, knowledge, affected=records.region),
        differential=impression,
        scope=decision,
        scope_reason=reason,
        unanswered=unanswered,
        safety_nets=safety_nets(result, records.region, knowledge),
    )


def scope_sentence(decision: ScopeDecision) -> str:
    """What the therapist may do with what the findings show, with the deciding reasons."""
    reasons = [item.reason for item in decision.items if item.outcome == decision.outcome]
    sentence = " ".join(reasons) if reasons else "You may treat what is recorded."
    if decision.referral and decision.outcome not in ("allow", "warn", "require_clearance"):
        sentence += f" Refer to {decision.referral}."
    return sentence

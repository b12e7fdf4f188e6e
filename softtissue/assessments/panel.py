"""Fetch an assessment's records, build its findings and ask the core: the reasoning panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from softtissue.accounts.models import Therapist
from softtissue.assessments.findings import FindingInputs, MarkFacts, build_findings
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.questions import kb, movements, screening_codes
from softtissue.clients.alerts import client_facts
from softtissue.reasoning import (
    ContraindicationHit,
    Differential,
    PlanRequest,
    ScopeDecision,
    TherapistFacts,
    Triage,
    contraindications,
    differential,
    motion,
    scope,
    triage,
)
from softtissue.reasoning.findings import Value


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

    def candidate_rows(self) -> list[dict[str, Any]]:
        """The differential's candidates with their movements labelled, for the template."""
        labels = kb().findings
        return [
            {
                "candidate": candidate,
                "percent": round(candidate.probability * 100),
                "moves": [
                    {
                        "label": labels[m.finding].label,
                        "value": shown(m.value),
                        "lr": m.lr,
                        "sources": m.sources,
                    }
                    for m in candidate.because
                ],
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


def therapist_facts(therapist: Therapist | None) -> TherapistFacts | None:
    """The logged-in therapist's qualifications, or None without a therapist profile."""
    if therapist is None:
        return None
    return TherapistFacts(qualifications=therapist.qualification_ids())


def reasoning_panel(records: Records, therapist: TherapistFacts | None, today: date) -> Panel:
    """Triage, contraindications, the working impression and a scope preview."""
    knowledge = kb()
    findings = assessment_findings(records, today)
    impression = differential(findings, knowledge, records.region)
    decision = None
    reason = "Scope is previewed once there is a working impression."
    if therapist is None:
        reason = "You have no therapist profile, so your scope of practice cannot be checked."
    elif impression.enough_information and impression.candidates:
        top = impression.candidates[0]
        plan = PlanRequest(condition=top.condition, regions=(records.region,))
        decision = scope(therapist, plan, knowledge, findings)
        reason = scope_sentence(decision, top.name)
    unanswered = tuple(c for c in screening_codes(records.region) if c not in findings)
    return Panel(
        findings=findings,
        triage=triage(findings, knowledge),
        contraindications=contraindications(findings, knowledge),
        differential=impression,
        scope=decision,
        scope_reason=reason,
        unanswered=unanswered,
    )


def scope_sentence(decision: ScopeDecision, condition: str) -> str:
    """One sentence for the therapist: what they may do with the leading condition."""
    reasons = [item.reason for item in decision.items if item.outcome == decision.outcome]
    sentence = " ".join(reasons) if reasons else f"You may treat {condition}."
    if decision.referral and decision.outcome not in ("allow", "warn", "require_clearance"):
        sentence += f" Refer to {decision.referral}."
    return sentence

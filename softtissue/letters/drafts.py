"""A letter's first draft, written from the structured record and the core's answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps

from softtissue.accounts.facts import therapist_facts
from softtissue.accounts.models import Therapist
from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.panel import Records, assessment_findings, load_records, shown
from softtissue.assessments.questions import kb, movement_labels
from softtissue.letters.compare import describe_mark
from softtissue.letters.models import Letter
from softtissue.outcomes.services import Progress, progress
from softtissue.reasoning import (
    PlanRequest,
    ScopeDecision,
    TherapistFacts,
    Triage,
    contraindications,
    scope,
    triage,
)
from softtissue.reasoning.explanations import NO_WORKING_IMPRESSION, explain
from softtissue.reasoning.findings import Value
from softtissue.reasoning.scope import may_form_impression as impression_allowed

NOTE_MODEL = ("treatments", "TreatmentNote")
STOPPING = ("block", "refer_routine", "refer_soon", "refer_urgent", "refer_emergency")
REQUESTS = {
    Letter.Kind.REFERRAL: "Please assess the client and advise on further management.",
    Letter.Kind.CLEARANCE: (
        "Please confirm whether it is safe for me to treat the client with the techniques "
        "planned, or tell me what to avoid or modify, by completing and returning the section "
        "at the end of this letter."
    ),
    Letter.Kind.DISCHARGE: "For your information: no action is needed.",
}


@dataclass(frozen=True, slots=True)
class Record:
    """What a letter is written from: the latest assessment, its findings and the core's view."""

    episode: Episode
    assessment: Assessment | None
    records: Records | None
    findings: dict[str, Value]
    triage: Triage
    scope: ScopeDecision | None


def gather(episode: Episode, therapist: Therapist | None, today: date) -> Record:
    """Fetch the latest assessment and ask the core for triage and scope."""
    assessment = (
        Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode)
        .select_related("episode__client")
        .first()
    )
    records = load_records(assessment) if assessment is not None else None
    findings = assessment_findings(records, today) if records is not None else {}
    knowledge = kb()
    decision = None
    if therapist is not None and episode.condition in knowledge.conditions:
        facts = therapist_facts(therapist, today)
        request = PlanRequest(condition=episode.condition, regions=(episode.region,))
        decision = scope(facts, request, knowledge, findings, episode.region)
    return Record(episode, assessment, records, findings, triage(findings, knowledge), decision)


def may_form_impression(therapist: Therapist | None) -> bool:
    """False when every one of the therapist's qualifications excludes a working impression."""
    if therapist is None:
        return True
    return impression_allowed(TherapistFacts(qualifications=therapist.qualification_ids()), kb())


def may_diagnose(therapist: Therapist | None) -> bool:
    """True when one of the therapist's qualifications allows them to diagnose."""
    if therapist is None:
        return False
    known = kb().qualifications
    return any(
        bool(known[q].get("may_diagnose")) for q in therapist.qualification_ids() if q in known
    )


def draft(kind: str, record: Record, therapist: Therapist | None) -> dict[str, Any]:
    """Initial values of the letter form for this kind of letter."""
    client = record.episode.client
    values: dict[str, Any] = {
        "recipient": Letter.Recipient.GP,
        "recipient_name": client.gp_name,
        "recipient_address": "\n".join(
            part for part in (client.gp_practice, client.gp_address) if part
        ),
        "history": history(record),
        "findings": findings_text(record, therapist),
        "treatment": treatment_text(record.episode),
        "current_status": status_text(record),
        "request": REQUESTS[Letter.Kind(kind)],
    }
    if kind == Letter.Kind.REFERRAL:
        values["reason"] = referral_reason(record)
        if record.triage.urgency == "refer_emergency":
            values["recipient"] = Letter.Recipient.EMERGENCY
            values["recipient_name"] = "Duty clinician, Emergency Department"
            values["recipient_address"] = ""
            values["request"] = "Please assess the client urgently."
    elif kind == Letter.Kind.CLEARANCE:
        values["reason"] = clearance_reason(record)
    else:
        values["reason"] = record.episode.discharge_reason
        values["outcomes"] = outcomes_text(progress(record.episode))
        values["advice"] = advice_text(record.episode)
    return values


def referral_reason(record: Record) -> str:
    """The red flags and their route when triage fired, else the scope block's reason."""
    if record.triage.flags:
        return "\n".join(f"{f.message} Route: {f.referral}." for f in record.triage.flags)
    if record.scope is not None and record.scope.outcome in STOPPING:
        items = [i.reason for i in record.scope.items if i.outcome == record.scope.outcome]
        return "\n".join(items)
    return ""


def clearance_reason(record: Record) -> str:
    """The cautions that ask for medical clearance, with the techniques they limit."""
    knowledge = kb()
    lines = []
    for hit in contraindications(record.findings, knowledge):
        if hit.outcome != "require_clearance":
            continue
        names = [str(knowledge.techniques[t]["name"]) for t in hit.techniques if t != "all"]
        planned = ", ".join(names) if names else "hands-on treatment"
        lines.append(f"{hit.name}: {hit.action} Techniques planned: {planned}.")
    if record.scope is not None:
        lines.extend(
            i.reason
            for i in record.scope.items
            if i.outcome == "require_clearance" and i.reason not in lines
        )
    return "\n".join(dict.fromkeys(lines))


def history(record: Record) -> str:
    """Presenting problem, onset, mechanism and duration from the latest assessment."""
    lines = [f"Presenting problem: {record.episode.presenting_problem}"]
    assessment = record.assessment
    if assessment is not None:
        if assessment.onset:
            lines.append(f"Onset: {assessment.get_onset_display().lower()}")
        if assessment.mechanism:
            lines.append(f"Mechanism: {assessment.mechanism}")
        if assessment.symptom_duration_weeks is not None:
            lines.append(f"Duration: {assessment.symptom_duration_weeks} weeks")
    return "\n".join(lines)


def findings_text(record: Record, therapist: Therapist | None) -> str:
    """What was found, described and not diagnosed."""
    knowledge = kb()
    lines: list[str] = []
    if record.records is not None:
        labels = movement_labels()
        deficits = record.records.deficits()
        for m in record.records.movements:
            found = deficits.get((m.movement_id, m.side))
            note = f": {found.describe()}" if found is not None and found.flagged else ""
            label = labels.get(m.movement_id, m.movement_id)
            lines.append(
                f"Range of motion, {label} ({m.get_side_display().lower()}): {m.degrees}°{note}"
            )
        for t in record.records.tests:
            if t.result == "not_tested":
                continue
            name = knowledge.special_tests.get(t.test_id, {}).get("name", t.test_id)
            lines.append(f"{name}: {t.get_result_display().lower()}")
        for mark in record.records.marks:
            lines.append(f"Body chart: {describe_mark(mark)}")
    for flag in record.triage.flags:
        for code in flag.because:
            finding = knowledge.findings.get(code)
            label = finding.label if finding is not None else code
            value = shown(record.findings[code]) if code in record.findings else "yes"
            lines.append(f"Screening: {label}: {value} (flag: {flag.rule_id.split('.', 1)[-1]})")
    condition = knowledge.conditions.get(record.episode.condition)
    if condition is not None and not may_form_impression(therapist):
        # A Level 3 therapist forms no working impression of an injury (their scope excludes
        # it), so the letter asks for that assessment instead of naming a condition.
        lines.append(
            f"Working impression: none formed. {explain(knowledge, NO_WORKING_IMPRESSION)}"
        )
    elif condition is not None:
        term = "Diagnosis" if may_diagnose(therapist) else "Working impression"
        lines.append(f"{term}: {condition['name']}")
    return "\n".join(lines)


def signed_note_model() -> Any:
    """The treatments app's note model, or None while that app is not installed."""
    # Looked up by name so letters work (without "treatment so far") before treatments lands.
    try:
        return apps.get_model(*NOTE_MODEL)
    except LookupError:
        return None


def treatment_text(episode: Episode) -> str:
    """Signed treatment notes of the episode, when the treatments app is installed."""
    note_model = signed_note_model()
    if note_model is None:
        return ""
    notes = note_model.objects.filter(
        clinic_id=episode.clinic_id, episode=episode, status="signed"
    ).order_by("session_date", "pk")
    technique_names = kb().techniques
    lines = []
    for note in notes:
        used = ", ".join(
            str(technique_names.get(str(t.get("technique")), {}).get("name", t.get("technique")))
            for t in note.techniques or []
            if isinstance(t, dict)
        )
        parts = [f"{note.session_date:%d %b %Y}"]
        if used:
            parts.append(f"techniques: {used}")
        if note.response:
            parts.append(f"response: {note.response}")
        lines.append("; ".join(parts))
    return "\n".join(lines)


def advice_text(episode: Episode) -> str:
    """The advice recorded in the episode's signed notes, when there are any."""
    note_model = signed_note_model()
    if note_model is None:
        return ""
    notes = note_model.objects.filter(
        clinic_id=episode.clinic_id, episode=episode, status="signed"
    ).exclude(advice="")
    return "\n".join(dict.fromkeys(str(n.advice) for n in notes.order_by("session_date", "pk")))


def status_text(record: Record) -> str:
    """Where the episode stands today."""
    episode = record.episode
    if episode.discharged_at is not None:
        return f"Discharged on {episode.discharged_at:%d %b %Y}."
    if record.triage.stops_treatment:
        return "Treatment has stopped until the client has been seen."
    if record.scope is not None and record.scope.outcome in STOPPING:
        return "I have not treated this presentation: it is outside my scope of practice."
    return "Under my care."


def outcomes_text(rows: list[Progress]) -> str:
    """Each measure's baseline and latest score, the change and whether it was important."""
    lines = []
    for row in rows:
        first, last = row.baseline, row.latest
        line = f"{row.definition.name}: baseline {_score(first.score)}"
        if len(row.administrations) > 1:
            line += f", latest {_score(last.score)}"
        change = row.change
        if change is not None and change.judged and change.difference is not None:
            verdict = "reached" if change.important else "did not reach"
            line += (
                f"; change {change.difference:+.1f} (positive is better), "
                f"{verdict} the minimal clinically important difference"
            )
            if change.criterion:
                line += f" ({change.criterion})"
        elif change is not None and change.reason:
            line += f"; change not judged: {change.reason}"
        lines.append(line)
    return "\n".join(lines)


def _score(value: float | None) -> str:
    return "not scorable" if value is None else f"{value:.1f}".removesuffix(".0")

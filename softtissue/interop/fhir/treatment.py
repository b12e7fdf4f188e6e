"""Procedure (the techniques of signed notes) and CarePlan (the rehab programme)."""

from __future__ import annotations

from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.procedure import Procedure

from softtissue.assessments.questions import region_label
from softtissue.interop.fhir import codes
from softtissue.interop.fhir.care import condition_id
from softtissue.interop.fhir.ids import ref, row_uuid
from softtissue.interop.fhir.model import FhirJson, build
from softtissue.interop.fhir.people import patient_id, practitioner_ref
from softtissue.reasoning import default_knowledge
from softtissue.rehab.models import Programme
from softtissue.treatments.models import TreatmentNote


def procedures(note: TreatmentNote) -> list[FhirJson]:
    """One Procedure per technique used in a signed note; a draft's techniques are not yet done."""
    if note.status != TreatmentNote.Status.SIGNED:
        return []
    techniques = default_knowledge().techniques
    episode = note.episode
    performer = practitioner_ref(note)
    found = []
    for index, used in enumerate(note.techniques or []):
        technique = str(used.get("technique", ""))
        entry = techniques.get(technique)
        name = str(entry["name"]) if entry else technique
        region = str(used.get("region", ""))
        dosage = str(used.get("dosage", "")).strip()
        found.append(
            build(
                Procedure,
                id=row_uuid(note, f"technique-{index}"),
                status="completed",
                code={"coding": [codes.knowledge_coding(technique, name)], "text": name},
                subject=ref(patient_id(episode.client)),
                encounter=ref(row_uuid(note)),
                performedDateTime=note.session_date.isoformat(),
                performer=[{"actor": performer}] if performer else None,
                reasonReference=[ref(condition_id(episode))] if episode.condition else None,
                bodySite=[{"text": region_label(region)}] if region else None,
                note=[{"text": dosage}] if dosage else None,
            )
        )
    return found


def care_plan(programme: Programme) -> FhirJson:
    """The home exercise programme: one activity per prescribed exercise, with phase and dosage."""
    episode = programme.episode
    exercises = default_knowledge().exercises
    status = "active" if episode.is_open else "completed"
    activities = []
    for prescribed in programme.exercises.all():
        entry = exercises.get(prescribed.exercise)
        name = str(entry["name"]) if entry else prescribed.exercise
        activities.append(
            {
                "detail": {
                    "kind": "Task",
                    "code": {
                        "coding": [codes.knowledge_coding(prescribed.exercise, name)],
                        "text": name,
                    },
                    "status": "in-progress" if episode.is_open else "completed",
                    "description": f"Phase {prescribed.phase}: {prescribed.dosage}",
                }
            }
        )
    return build(
        CarePlan,
        id=row_uuid(programme),
        status=status,
        intent="plan",
        title="Home exercise programme",
        description=programme.notes or None,
        subject=ref(patient_id(episode.client)),
        period={"start": programme.created_at},
        created=programme.created_at,
        author=practitioner_ref(programme),
        addresses=[ref(condition_id(episode))] if episode.condition else None,
        activity=activities or None,
    )

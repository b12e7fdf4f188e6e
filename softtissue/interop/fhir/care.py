"""EpisodeOfCare, Encounter, Condition and Consent."""

from __future__ import annotations

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare

from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.questions import region_label
from softtissue.clients.models import Client, Consent
from softtissue.interop.fhir import codes
from softtissue.interop.fhir.ids import ref, row_uuid
from softtissue.interop.fhir.model import FhirJson, build
from softtissue.interop.fhir.people import organization_id, patient_id, practitioner_ref
from softtissue.reasoning import default_knowledge
from softtissue.treatments.models import TreatmentNote

# What each kind of consent lets the clinic do, in the consent-scope codes.
CONSENT_SCOPES: dict[str, str] = {
    Consent.Kind.ASSESSMENT_TREATMENT: "treatment",
    Consent.Kind.HEALTH_DATA: "patient-privacy",
    Consent.Kind.SHARE_WITH_GP: "patient-privacy",
}


def episode_of_care(episode: Episode) -> FhirJson:
    """The episode, pointing at its working impression when one is recorded."""
    period: dict[str, object] = {"start": episode.opened_at}
    if episode.discharged_at:
        period["end"] = episode.discharged_at
    return build(
        EpisodeOfCare,
        id=row_uuid(episode),
        status="active" if episode.is_open else "finished",
        type=[{"text": episode.presenting_problem}],
        patient=ref(patient_id(episode.client)),
        managingOrganization=ref(organization_id(episode.clinic_id)),
        careManager=practitioner_ref(episode),
        period=period,
        diagnosis=[{"condition": ref(condition_id(episode))}] if episode.condition else None,
    )


def condition_id(episode: Episode) -> str:
    """The id of the episode's working impression."""
    return row_uuid(episode, "condition")


def condition(episode: Episode) -> FhirJson | None:
    """The working impression being treated: provisional, coded to SNOMED CT where known."""
    if not episode.condition:
        return None
    entry = default_knowledge().conditions.get(episode.condition)
    name = str(entry["name"]) if entry else episode.condition
    coding = [codes.knowledge_coding(episode.condition, name)]
    if entry and entry.get("snomed"):
        coding.insert(0, {"system": codes.SNOMED, "code": str(entry["snomed"]), "display": name})
    clinical = "active" if episode.is_open else "resolved"
    return build(
        Condition,
        id=condition_id(episode),
        clinicalStatus={"coding": [codes.coding(codes.CONDITION_CLINICAL, clinical)]},
        verificationStatus={
            "coding": [codes.coding(codes.CONDITION_VERIFICATION, "provisional")],
        },
        category=[{"coding": [codes.coding(codes.CONDITION_CATEGORY, "encounter-diagnosis")]}],
        code={"coding": coding, "text": name},
        bodySite=[{"text": region_label(episode.region)}],
        subject=ref(patient_id(episode.client)),
        onsetDateTime=episode.opened_at,
        abatementDateTime=episode.discharged_at,
        recordedDate=episode.opened_at,
        recorder=practitioner_ref(episode),
    )


def _encounter(
    resource_id: str,
    episode: Episode,
    therapist: dict[str, str] | None,
    start: object,
    kind: str,
    status: str,
) -> FhirJson:
    return build(
        Encounter,
        id=resource_id,
        status=status,
        class_=codes.coding(codes.ACT_CODE, "AMB"),
        type=[{"text": kind}],
        subject=ref(patient_id(episode.client)),
        episodeOfCare=[ref(row_uuid(episode))],
        participant=[{"individual": therapist}] if therapist else None,
        period={"start": start},
        serviceProvider=ref(organization_id(episode.clinic_id)),
    )


def assessment_encounter(assessment: Assessment) -> FhirJson:
    """The visit at which an assessment was made."""
    return _encounter(
        row_uuid(assessment),
        assessment.episode,
        practitioner_ref(assessment),
        assessment.started_at,
        assessment.get_kind_display(),
        "finished",
    )


def note_encounter(note: TreatmentNote) -> FhirJson:
    """The treatment session a SOAP note records (in progress while the note is a draft)."""
    signed = note.status == TreatmentNote.Status.SIGNED
    return _encounter(
        row_uuid(note),
        note.episode,
        practitioner_ref(note),
        note.session_date.isoformat(),
        "Treatment session",
        "finished" if signed else "in-progress",
    )


def consent(row: Consent, client: Client) -> FhirJson:
    """A consent given (active) or refused or withdrawn (rejected), with its typed signature."""
    return build(
        FhirConsent,
        id=row_uuid(row),
        status="active" if row.given else "rejected",
        scope={"coding": [codes.coding(codes.CONSENT_SCOPE, CONSENT_SCOPES[row.kind])]},
        category=[
            {"coding": [codes.coding(codes.LOINC, "59284-0")], "text": row.get_kind_display()}
        ],
        patient=ref(patient_id(client)),
        dateTime=row.recorded_at,
        organization=[ref(organization_id(client.clinic_id))],
        # A typed-name signature, recorded in person, on a tablet or on paper.
        policyRule={"text": f"{row.get_method_display()}; signed as {row.signed_name}"},
        provision={"type": "permit" if row.given else "deny"},
    )

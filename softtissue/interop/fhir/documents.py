"""ServiceRequest (referrals) and DocumentReference (every letter, its PDF inline)."""

from __future__ import annotations

import base64

from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.servicerequest import ServiceRequest

from softtissue.interop.fhir.care import condition_id
from softtissue.interop.fhir.ids import ref, row_uuid
from softtissue.interop.fhir.model import FhirJson, build
from softtissue.interop.fhir.people import organization_id, patient_id, practitioner_ref
from softtissue.letters.models import Letter


def document_id(letter: Letter) -> str:
    """The id of the letter's DocumentReference."""
    return row_uuid(letter)


def service_request(letter: Letter) -> FhirJson | None:
    """A referral letter as the request it makes of its recipient; other letters make none."""
    if letter.kind != Letter.Kind.REFERRAL:
        return None
    episode = letter.episode
    return build(
        ServiceRequest,
        id=row_uuid(letter, "referral"),
        status="completed",
        intent="order",
        code={"text": f"Referral to {letter.get_recipient_display()}"},
        subject=ref(patient_id(episode.client)),
        authoredOn=letter.created_at,
        requester=(practitioner_ref(letter) or ref(organization_id(letter.clinic_id))),
        performer=[{"display": letter.recipient_name}],
        reasonCode=[{"text": letter.reason}],
        reasonReference=[ref(condition_id(episode))] if episode.condition else None,
        supportingInfo=[ref(document_id(letter))],
        note=[{"text": letter.request}] if letter.request else None,
    )


def document_reference(letter: Letter) -> FhirJson:
    """The letter as sent: the kept PDF as base64 data, so the export stands on its own."""
    episode = letter.episode
    pdf = bytes(letter.pdf)
    return build(
        DocumentReference,
        id=document_id(letter),
        status="current",
        docStatus="final",
        type={"text": letter.get_kind_display()},
        subject=ref(patient_id(episode.client)),
        date=letter.created_at,
        author=[author] if (author := practitioner_ref(letter)) else None,
        custodian=ref(organization_id(letter.clinic_id)),
        description=f"{letter.get_kind_display()} to {letter.recipient_name}",
        content=[
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "data": base64.b64encode(pdf).decode("ascii"),
                    "size": len(pdf),
                    "title": letter.filename,
                    "creation": letter.created_at,
                }
            }
        ],
    )

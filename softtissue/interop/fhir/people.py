"""Patient, Organization, Practitioner and PractitionerRole."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from softtissue.accounts.models import Clinic, Qualification, Therapist
from softtissue.accounts.qualifications import qualification_choices
from softtissue.clients.models import Client
from softtissue.interop.fhir.codes import knowledge_coding
from softtissue.interop.fhir.ids import ref, resource_uuid, row_uuid
from softtissue.interop.fhir.model import FhirJson, build

GENDERS = {"female": "female", "male": "male"}


def organization_id(clinic_id: int) -> str:
    """The clinic's Organization id."""
    return resource_uuid(clinic_id, "accounts.clinic", clinic_id)


def organization(clinic: Clinic) -> FhirJson:
    """The clinic as an Organization."""
    return build(Organization, id=organization_id(clinic.pk), active=True, name=clinic.name)


def practitioner_id(clinic_id: int, therapist_id: int) -> str:
    """The therapist's Practitioner id."""
    return resource_uuid(clinic_id, "accounts.therapist", therapist_id)


def practitioner_ref(row: Any) -> dict[str, str] | None:
    """A reference to the therapist of a clinic-owned row, if it has one."""
    therapist_id = row.therapist_id
    return ref(practitioner_id(row.clinic_id, therapist_id)) if therapist_id else None


def _qualification(row: Qualification, names: dict[str, str]) -> dict[str, Any]:
    name = names.get(row.knowledge_id, row.knowledge_id)
    found: dict[str, Any] = {
        "code": {"coding": [knowledge_coding(row.knowledge_id, name)], "text": name}
    }
    if row.certificate_ref:
        found["identifier"] = [{"value": row.certificate_ref}]
    if row.awarding_body:
        found["issuer"] = {"display": row.awarding_body}
    if row.awarded_on:
        found["period"] = {"start": row.awarded_on}
    return found


def practitioner(therapist: Therapist) -> FhirJson:
    """A therapist with their qualifications and professional body membership."""
    user = therapist.user
    choices = qualification_choices()
    qualifications = [_qualification(q, choices) for q in therapist.qualifications.all()]
    identifiers = []
    if therapist.membership_number:
        identifiers.append(
            {
                "value": therapist.membership_number,
                **(
                    {"assigner": {"display": therapist.professional_body}}
                    if therapist.professional_body
                    else {}
                ),
            }
        )
    name = {"text": str(user)}
    if user.last_name:
        name["family"] = user.last_name
    return build(
        Practitioner,
        id=practitioner_id(therapist.clinic_id, therapist.pk),
        active=user.is_active,
        name=[{**name, **({"given": [user.first_name]} if user.first_name else {})}],
        telecom=[{"system": "email", "value": user.email, "use": "work"}],
        identifier=identifiers or None,
        qualification=qualifications or None,
    )


def practitioner_role(therapist: Therapist) -> FhirJson:
    """The therapist's place in the clinic."""
    return build(
        PractitionerRole,
        id=row_uuid(therapist, "role"),
        active=True,
        practitioner=ref(practitioner_id(therapist.clinic_id, therapist.pk)),
        organization=ref(organization_id(therapist.clinic_id)),
        code=[{"text": "Soft tissue therapist"}],
    )


def patient_id(client: Client) -> str:
    """The client's Patient id."""
    return row_uuid(client)


def patient(client: Client) -> FhirJson:
    """The client's identity, contacts and GP (the GP as a name only: not a clinic record)."""
    name: dict[str, object] = {
        "use": "official",
        "family": client.last_name,
        "given": [client.first_name],
    }
    names = [name]
    if client.preferred_name:
        names.append({"use": "usual", "given": [client.preferred_name]})
    telecom = []
    if client.phone:
        telecom.append({"system": "phone", "value": client.phone})
    if client.email:
        telecom.append({"system": "email", "value": client.email})
    address = []
    if client.address or client.postcode:
        address.append(
            {
                **({"text": client.address} if client.address else {}),
                **({"postalCode": client.postcode} if client.postcode else {}),
            }
        )
    gp = ", ".join(part for part in (client.gp_name, client.gp_practice) if part)
    contact = (
        [
            {
                "name": {"text": client.emergency_contact},
                "relationship": [{"text": "Emergency contact"}],
            }
        ]
        if client.emergency_contact
        else None
    )
    return build(
        Patient,
        id=patient_id(client),
        active=True,
        name=names,
        birthDate=client.date_of_birth,
        gender=GENDERS.get(client.sex, "unknown"),
        telecom=telecom or None,
        address=address or None,
        contact=contact,
        generalPractitioner=[{"display": gp}] if gp else None,
        managingOrganization=ref(organization_id(client.clinic_id)),
    )

"""The code systems and codes the export uses: a small allow-list, each with where it is defined.

fhir.resources checks the shape of a resource, not its codes, so tests/interop/test_fhir_codes.py
checks every coding in an export against this list.
"""

from __future__ import annotations

from typing import Final

# Local codes: knowledge-base ids (condition., technique., special-test., exercise., measure.,
# qualification. and movement ids). A URN because the project has no web address of its own.
KNOWLEDGE: Final = "urn:softtissue:knowledge"
SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"

# Every (system, code) pair the export may write outside the knowledge and SNOMED systems, with
# the page of the FHIR R4B specification (hl7.org/fhir/R4B) or terminology that defines it.
ALLOWED: Final[dict[str, dict[str, str]]] = {
    OBSERVATION_CATEGORY: {
        # hl7.org/fhir/R4B/codesystem-observation-category.html
        "exam": "Exam",
        "survey": "Survey",
    },
    INTERPRETATION: {
        # hl7.org/fhir/R4B/v3/ObservationInterpretation/cs.html
        "POS": "Positive",
        "NEG": "Negative",
    },
    CONDITION_CATEGORY: {
        # hl7.org/fhir/R4B/codesystem-condition-category.html
        "encounter-diagnosis": "Encounter Diagnosis",
    },
    CONDITION_CLINICAL: {
        # hl7.org/fhir/R4B/codesystem-condition-clinical.html
        "active": "Active",
        "resolved": "Resolved",
    },
    CONDITION_VERIFICATION: {
        # hl7.org/fhir/R4B/codesystem-condition-ver-status.html: "provisional" because the
        # episode's condition is a working impression, not a diagnosis.
        "provisional": "Provisional",
    },
    ACT_CODE: {
        # hl7.org/fhir/R4B/v3/ActEncounterCode/vs.html (Encounter.class)
        "AMB": "ambulatory",
    },
    CONSENT_SCOPE: {
        # hl7.org/fhir/R4B/codesystem-consent-scope.html
        "treatment": "Treatment",
        "patient-privacy": "Privacy Consent",
    },
    LOINC: {
        # loinc.org/59284-0 "Patient Consent"; the Consent category used by the R4B examples
        # (hl7.org/fhir/R4B/consent-example.json.html).
        "59284-0": "Patient Consent",
    },
    UCUM: {
        # ucum.org/ucum: "deg" is the unit for plane angle in degrees; "{score}" is a unit of 1
        # with an annotation, as UCUM allows for counts and scores.
        "deg": "degree",
        "{score}": "score",
    },
}


def coding(system: str, code: str) -> dict[str, str]:
    """A coding from the allow-list with its display; a code not on the list is a bug."""
    return {"system": system, "code": code, "display": ALLOWED[system][code]}


def knowledge_coding(knowledge_id: str, display: str) -> dict[str, str]:
    """A coding in the local knowledge-base system."""
    return {"system": KNOWLEDGE, "code": knowledge_id, "display": display}

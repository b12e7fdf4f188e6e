"""Observations (range of motion, special tests, outcome scores) and QuestionnaireResponse."""

from __future__ import annotations

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from softtissue.assessments.models import Assessment, RangeOfMotion, SpecialTestResult
from softtissue.assessments.questions import movement_labels
from softtissue.interop.fhir import codes
from softtissue.interop.fhir.ids import ref, row_uuid
from softtissue.interop.fhir.model import FhirJson, build
from softtissue.interop.fhir.people import patient_id, practitioner_ref
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import definitions
from softtissue.reasoning import default_knowledge

SIDES = {"left": "Left", "right": "Right"}
EXAM = [{"coding": [codes.coding(codes.OBSERVATION_CATEGORY, "exam")]}]
SURVEY = [{"coding": [codes.coding(codes.OBSERVATION_CATEGORY, "survey")]}]


def _performer(assessment: Assessment) -> list[dict[str, str]] | None:
    therapist = practitioner_ref(assessment)
    return [therapist] if therapist else None


def _examination(
    row: RangeOfMotion | SpecialTestResult,
    assessment: Assessment,
    knowledge_id: str,
    label: str,
    **value: object,
) -> FhirJson:
    """An examination finding of the assessment, coded by its knowledge id, with its value."""
    return build(
        Observation,
        id=row_uuid(row),
        status="final",
        category=EXAM,
        code={"coding": [codes.knowledge_coding(knowledge_id, label)], "text": label},
        subject=ref(patient_id(assessment.episode.client)),
        encounter=ref(row_uuid(assessment)),
        effectiveDateTime=assessment.started_at,
        performer=_performer(assessment),
        **value,
    )


def range_of_motion(row: RangeOfMotion, assessment: Assessment) -> FhirJson:
    """A measured range in degrees (UCUM deg), sided, noting when it was painful."""
    label = movement_labels().get(row.movement_id, row.movement_id)
    side = SIDES.get(row.side)
    return _examination(
        row,
        assessment,
        row.movement_id,
        label,
        valueQuantity={
            "value": row.degrees,
            "unit": "degrees",
            "system": codes.UCUM,
            "code": "deg",
        },
        bodySite={"text": side} if side else None,
        note=[{"text": "Painful"}] if row.painful else None,
    )


def special_test(row: SpecialTestResult, assessment: Assessment) -> FhirJson | None:
    """A positive or negative special test (a test not done is not an observation)."""
    if row.result == SpecialTestResult.Result.NOT_TESTED:
        return None
    entry = default_knowledge().special_tests.get(row.test_id)
    name = str(entry["name"]) if entry else row.test_id
    positive = row.result == SpecialTestResult.Result.POSITIVE
    interpretation = codes.coding(codes.INTERPRETATION, "POS" if positive else "NEG")
    return _examination(
        row,
        assessment,
        row.test_id,
        name,
        valueCodeableConcept={"text": interpretation["display"]},
        interpretation=[{"coding": [interpretation]}],
    )


def _measure_name(row: MeasureAdministration) -> str:
    definition = definitions().get(row.measure)
    return definition.name if definition else row.measure


def questionnaire_response_id(row: MeasureAdministration) -> str:
    """The id of an administration's answers."""
    return row_uuid(row, "answers")


def questionnaire_response(row: MeasureAdministration) -> FhirJson:
    """The answers as given, in the official item order; a missing item has no answer."""
    definition = definitions().get(row.measure)
    items = []
    for number, answer in enumerate(row.answers, start=1):
        item = (
            definition.items[number - 1] if definition and number <= len(definition.items) else None
        )
        entry: dict[str, object] = {
            "linkId": item.code if item else str(number),
            "text": item.label if item else f"Item {number}",
        }
        if answer is not None:
            entry["answer"] = [{"valueInteger": answer}]
        items.append(entry)
    episode = row.episode
    return build(
        QuestionnaireResponse,
        id=questionnaire_response_id(row),
        status="completed",
        identifier={"system": codes.KNOWLEDGE, "value": f"measure.{row.measure}"},
        subject=ref(patient_id(episode.client)),
        authored=row.administered_at,
        # The client filled it in themselves, or the therapist entered their answers.
        source=ref(patient_id(episode.client)) if row.client_reported else None,
        item=items,
    )


def outcome_score(row: MeasureAdministration) -> FhirJson:
    """The score as the core computed it, or why it could not be scored."""
    name = _measure_name(row)
    measure_id = f"measure.{row.measure}"
    scored = row.scorable and row.score is not None
    components = [
        {
            "code": {"text": f"{name}: {key}"},
            "valueQuantity": {
                "value": sub["score"],
                "unit": "score",
                "system": codes.UCUM,
                "code": "{score}",
            },
        }
        for key, sub in sorted((row.subscales or {}).items())
        if isinstance(sub, dict) and sub.get("score") is not None
    ]
    return build(
        Observation,
        id=row_uuid(row),
        status="final",
        category=SURVEY,
        code={"coding": [codes.knowledge_coding(measure_id, name)], "text": name},
        subject=ref(patient_id(row.episode.client)),
        effectiveDateTime=row.administered_at,
        valueQuantity=(
            {"value": row.score, "unit": "score", "system": codes.UCUM, "code": "{score}"}
            if scored
            else None
        ),
        dataAbsentReason=None if scored else {"text": row.reason or "Not scorable"},
        interpretation=[{"text": row.band}] if scored and row.band else None,
        derivedFrom=[ref(questionnaire_response_id(row))],
        component=components or None,
    )

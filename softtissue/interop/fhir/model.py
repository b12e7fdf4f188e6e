"""Build a resource as FHIR JSON, checked against its fhir.resources R4B model."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.resource import Resource

# A resource as the JSON the Bundle holds (datetimes still Python objects until written).
FhirJson = dict[str, Any]


def build(model: type[Resource], **fields: Any) -> FhirJson:
    """The resource's JSON; raises pydantic's ValidationError if the model refuses it.

    The model validates (types, cardinality, required elements) and the dict is what is
    written: fhir.resources' own serializer took half the export time for the same text.
    """
    data: FhirJson = {"resourceType": model.get_resource_type()}
    data.update((key.rstrip("_"), value) for key, value in fields.items() if value is not None)
    model.model_validate(data)
    return data


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: object) -> str:
    """Compact JSON with dates and datetimes in ISO 8601 (FHIR date and dateTime)."""
    return json.dumps(value, default=_default, separators=(",", ":"), ensure_ascii=False)

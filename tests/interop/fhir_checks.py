"""Helpers for the FHIR tests: parse a Bundle back, walk its references and codings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.bundle import Bundle


def parse(text: str) -> dict[str, Any]:
    """The Bundle as JSON, after fhir.resources has validated every resource in it."""
    Bundle.model_validate_json(text)
    data: dict[str, Any] = json.loads(text)
    return data


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    """The bundle's resources, optionally of one type."""
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every mapping nested anywhere in a JSON value."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def references(bundle: dict[str, Any]) -> list[str]:
    """Every literal reference made by the bundle's resources."""
    return [m["reference"] for m in walk(resources(bundle)) if "reference" in m]


def codings(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """Every coding or coded quantity (a mapping with a system and a code)."""
    return [m for m in walk(resources(bundle)) if "system" in m and "code" in m]

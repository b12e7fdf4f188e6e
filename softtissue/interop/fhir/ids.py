"""Stable resource ids: the same row gives the same id on every export."""

from __future__ import annotations

import uuid

from django.db.models import Model

# Fixed forever: changing it would change every id ever exported.
NAMESPACE = uuid.UUID("6f1c5d2e-8a47-5b3e-9c1d-2f4a6b8e0c13")


def resource_uuid(clinic_id: int, kind: str, pk: object) -> str:
    """A uuid5 of clinic, kind of row and primary key."""
    return str(uuid.uuid5(NAMESPACE, f"{clinic_id}/{kind}/{pk}"))


def row_uuid(row: Model, suffix: str = "") -> str:
    """The uuid of a clinic-owned row (a suffix tells apart several resources from one row)."""
    kind = row._meta.label_lower + (f"#{suffix}" if suffix else "")
    return resource_uuid(row.clinic_id, kind, row.pk)  # type: ignore[attr-defined]


def ref(resource_id: str) -> dict[str, str]:
    """A reference to a resource in the same Bundle, by its fullUrl."""
    return {"reference": f"urn:uuid:{resource_id}"}

"""Subject access export (UK GDPR Art. 15): a client's whole record as a ZIP.

The ZIP holds summary.pdf (for the client to read), record.json (every stored field of their
record, appointments and leaflets given included), fhir.json (the same record as a FHIR R4B
Bundle, for another clinic's system) and the letters exactly as they were sent, with any
uploaded medical clearances.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from softtissue.assessments.models import Episode
from softtissue.assessments.questions import movement_labels, region_label
from softtissue.clients.models import Client
from softtissue.interop.fhir import client_bundle_json
from softtissue.letters.services import pdf_bytes
from softtissue.outcomes.models import QuestionnaireLink
from softtissue.outcomes.services import definitions
from softtissue.reasoning import default_knowledge

# Columns that are not the client's data: the tenant key, search copies, secrets and the
# letters' rendered copies (the PDFs themselves are files in the ZIP).
# creation_key is the one-time key of the form that created the record: not the client's data.
LEFT_OUT = {"clinic", "phone_digits", "email_key", "token_hash", "html", "pdf", "creation_key"}
# Models that hold a client reference but are not in the export, and why (a test walks every
# model with one, so a new app's rows are exported or named here).
NOT_EXPORTED = {
    "clients.ClientSearchTerm": "a search copy of the client's names, which are exported",
    "outcomes.MeasureSeries": "worked out from the questionnaires given, which are exported",
    "privacy.LegalHold": (
        "the clinic's own note of a claim or complaint; the owner answers for it separately, "
        "as disclosure may fall under an exemption (DPA 2018 Sch. 2, e.g. para 19)"
    ),
    "audit.AuditEvent": "the trail of who opened the record, not the record; it names staff",
}


def _value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, FieldFile):
        if not value:
            return None
        stored = value.storage.exists(str(value.name))
        return clearance_file(value) if stored else f"file missing: {clearance_file(value)}"
    return value


def clearance_file(document: FieldFile) -> str:
    """Where an uploaded medical clearance sits in the ZIP."""
    return f"clearances/{Path(str(document.name)).name}"


def clearance_bytes(document: FieldFile) -> bytes | None:
    """The uploaded clearance's content, or None when its file is missing from the storage."""
    try:
        with document.open("rb") as handle:
            return bytes(handle.read())
    except OSError:
        # record.json says "file missing" for it; the rest of the export still goes out.
        return None


def row_json(row: Model) -> dict[str, object]:
    """Every stored field of a row (foreign keys as ids), as JSON-ready values."""
    return {
        field.attname: _value(getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if field.name not in LEFT_OUT
    }


def _rows(rows: Iterable[Model]) -> list[dict[str, object]]:
    return [row_json(row) for row in rows]


def _episode_json(episode: Episode) -> dict[str, object]:
    data = row_json(episode)
    data["assessments"] = [
        {
            **row_json(assessment),
            "body_chart": _rows(assessment.marks.all()),
            "range_of_motion": _rows(assessment.movements.all()),
            "special_tests": _rows(assessment.test_results.all()),
        }
        for assessment in episode.assessments.order_by("started_at", "pk")
    ]
    data["treatment_plans"] = [
        {
            **row_json(plan),
            "techniques": _rows(plan.techniques.all()),
            "scope_decision": (
                row_json(plan.scope_decision) if hasattr(plan, "scope_decision") else None
            ),
            "overrides": _rows(plan.overrides.all()),
            "clearances": _rows(plan.clearances.all()),
        }
        for plan in episode.plans.order_by("created_at", "pk")
    ]
    data["notes"] = [
        {**row_json(note), "addenda": _rows(note.addenda.all())}
        for note in episode.notes.order_by("session_date", "pk")
    ]
    data["measures"] = _rows(episode.measures.all())
    data["questionnaire_links"] = _rows(
        QuestionnaireLink.objects.filter(episode=episode).order_by("created_at", "pk")
    )
    programme = getattr(episode, "programme", None)
    data["programme"] = (
        {
            **row_json(programme),
            "links": _rows(programme.links.order_by("created_at", "pk")),
            "exercises": [
                {**row_json(exercise), "adherence": _rows(exercise.logs.order_by("day"))}
                for exercise in programme.exercises.all()
            ],
        }
        if programme is not None
        else None
    )
    data["letters"] = [
        {**row_json(letter), "file": f"letters/{letter.filename}"}
        for letter in episode.letters.order_by("created_at", "pk")
    ]
    return data


def record_json(client: Client) -> dict[str, object]:
    """The client's record as nested JSON: identity, consents, history and every episode."""
    return {
        "generated_at": timezone.now().isoformat(),
        "clinic": client.clinic.name,
        "client": row_json(client),
        "consents": _rows(client.consents.order_by("recorded_at", "pk")),
        "medical_history": _rows(client.history_items.order_by("recorded_at", "pk")),
        "medications": _rows(client.medications.order_by("recorded_at", "pk")),
        "intake_links": _rows(client.intake_links.order_by("created_at", "pk")),
        # Reception's diary, with its notes for reception ("admin_note").
        "appointments": _rows(client.appointments.order_by("starts_at", "pk")),
        "leaflets_given": [
            {**row_json(leaflet), "title": leaflet.title}
            for leaflet in client.leaflets_given.order_by("given_at", "pk")
        ],
        "episodes": [_episode_json(e) for e in client.episodes.order_by("opened_at", "pk")],
    }


def _named(table: str, key: str) -> str:
    entry = getattr(default_knowledge(), table).get(key)
    return str(entry["name"]) if entry else key


def summary_context(client: Client) -> dict[str, Any]:
    """What the readable summary shows, with knowledge ids turned into names."""
    measures = definitions()
    labels = movement_labels()
    episodes = []
    for episode in client.episodes.order_by("opened_at", "pk"):
        episodes.append(
            {
                "episode": episode,
                "region": region_label(episode.region),
                "condition": _named("conditions", episode.condition) if episode.condition else "",
                "assessments": [
                    {
                        "assessment": assessment,
                        "movements": [
                            (labels.get(m.movement_id, m.movement_id), m)
                            for m in assessment.movements.all()
                        ],
                        "tests": [
                            (_named("special_tests", t.test_id), t)
                            for t in assessment.test_results.all()
                        ],
                    }
                    for assessment in episode.assessments.order_by("started_at", "pk")
                ],
                "notes": [
                    {
                        "note": note,
                        "techniques": [
                            _named("techniques", str(used.get("technique", "")))
                            for used in note.techniques or []
                        ],
                    }
                    for note in episode.notes.order_by("session_date", "pk")
                ],
                "measures": [
                    (measures[m.measure].name if m.measure in measures else m.measure, m)
                    for m in episode.measures.all()
                ],
                "exercises": [
                    (_named("exercises", e.exercise), e)
                    for e in (
                        episode.programme.exercises.all() if hasattr(episode, "programme") else []
                    )
                ],
                "letters": list(episode.letters.order_by("created_at", "pk")),
            }
        )
    return {
        "client": client,
        "clinic": client.clinic,
        "generated_at": timezone.now(),
        "consents": client.consents.order_by("recorded_at", "pk"),
        "history": client.history_items.order_by("recorded_at", "pk"),
        "medications": client.medications.order_by("recorded_at", "pk"),
        "appointments": client.appointments.select_related("therapist__user").order_by(
            "starts_at", "pk"
        ),
        "leaflets": client.leaflets_given.order_by("given_at", "pk"),
        "episodes": episodes,
    }


def subject_access_zip(client: Client) -> bytes:
    """The ZIP a client receives when they ask for their data."""
    html = render_to_string("privacy/sar_summary.html", summary_context(client))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf_bytes(html))
        archive.writestr(
            "record.json", json.dumps(record_json(client), indent=2, ensure_ascii=False)
        )
        archive.writestr("fhir.json", client_bundle_json(client))
        for episode in client.episodes.all():
            for letter in episode.letters.order_by("created_at", "pk"):
                archive.writestr(f"letters/{letter.filename}", bytes(letter.pdf))
            for plan in episode.plans.all():
                for clearance in plan.clearances.exclude(document=""):
                    content = clearance_bytes(clearance.document)
                    if content is not None:
                        archive.writestr(clearance_file(clearance.document), content)
    return buffer.getvalue()

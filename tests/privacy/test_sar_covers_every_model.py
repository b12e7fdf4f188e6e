"""The subject access export covers every model that holds a client reference, so none is forgotten.

The walk finds each model with a foreign key to Client, or to a model that has one (an Episode,
a plan, a programme ...), and checks that every row of it for the client is in record.json.
`softtissue.privacy.sar.NOT_EXPORTED` names the few left out on purpose, with why.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import timezone
from pypdf import PdfReader

from softtissue.accounts.models import Clinic, User
from softtissue.clients.intake import issue_intake_link
from softtissue.clients.models import Client
from softtissue.outcomes import services as outcomes
from softtissue.privacy.models import LegalHold
from softtissue.privacy.sar import NOT_EXPORTED, record_json, row_json, subject_access_zip
from softtissue.rehab import services as rehab
from softtissue.treatments.models import Override, ScopeDecision
from tests.records import FullRecord, build_full_record

NOTE_FOR_RECEPTION = "Ring the bell twice; ramp at the side door"


def client_paths() -> dict[str, str]:
    """Each model holding a client reference and the lookup from its rows to the client."""
    paths = {Client._meta.label: "pk"}
    found = True
    while found:
        found = False
        for model in apps.get_models():
            label = model._meta.label
            if label in paths:
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model
                if field.is_relation and target is not None and target._meta.label in paths:
                    via = paths[target._meta.label]
                    paths[label] = field.name if via == "pk" else f"{field.name}__{via}"
                    found = True
                    break
                if not field.is_relation and field.name == "client_id":
                    # A plain number naming the client (the audit trail outlives the client).
                    paths[label] = "client_id"
                    found = True
                    break
    return paths


PATHS = client_paths()


@pytest.fixture
def record(clinic_a: Clinic, owner: User) -> FullRecord:
    record = build_full_record(clinic_a, owner)
    record.appointment.admin_note = NOTE_FOR_RECEPTION
    record.appointment.save()
    # Rows tests/records.py does not make, so that every model below has one to look for.
    issue_intake_link(record.client, owner)
    outcomes.create_link(record.episode, "nprs", owner, 60)
    rehab.create_link(record.programme, owner, 28, timezone.now())
    rehab.record_session(record.prescribed, timezone.localdate(), True)
    ScopeDecision.objects.create(
        clinic=clinic_a, plan=record.plan, outcome="warn", overridable=True, items=[]
    )
    Override.objects.create(
        clinic=clinic_a,
        plan=record.plan,
        by=owner,
        reason="The GP cleared the low back by phone today.",
        outcome="warn",
    )
    LegalHold.objects.create(
        clinic=clinic_a, client=record.client, reason="Complaint received", placed_by=owner
    )
    return record


def dicts(tree: object) -> Iterator[dict[str, object]]:
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from dicts(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from dicts(value)


def test_it_finds_the_models_that_hold_a_client_reference() -> None:
    for label in ("clients.Consent", "appointments.Appointment", "rehab.AdherenceLog"):
        assert label in PATHS
    assert PATHS["rehab.AdherenceLog"] == "prescribed__programme__episode__client"


def test_it_names_only_real_models_as_left_out() -> None:
    assert set(NOT_EXPORTED) <= set(PATHS)
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


@pytest.mark.parametrize("label", sorted(set(PATHS) - set(NOT_EXPORTED)))
def test_it_exports_every_row_that_belongs_to_the_client(record: FullRecord, label: str) -> None:
    model: type[Model] = apps.get_model(label)
    rows = list(model._default_manager.filter(**{PATHS[label]: record.client.pk}))
    assert rows, (
        f"no {label} row for the test client: make one in this file's `record` fixture "
        "so the export's coverage of it can be checked"
    )
    exported = list(dicts(json.loads(json.dumps(record_json(record.client)))))
    for row in rows:
        expected = json.loads(json.dumps(row_json(row)))
        assert any(expected.items() <= found.items() for found in exported), (
            f"{label} {row.pk} is not in record.json: add it to softtissue/privacy/sar.py "
            "(or to NOT_EXPORTED there, with the reason)"
        )


def test_it_keeps_what_belongs_to_another_client_out(
    record: FullRecord, clinic_a: Clinic, owner: User
) -> None:
    other = build_full_record(clinic_a, owner)
    exported = record_json(record.client)
    assert [a["id"] for a in exported["appointments"]] == [record.appointment.pk]  # type: ignore[index]
    assert other.client.leaflets_given.get().pk not in {
        leaflet["id"]
        for leaflet in exported["leaflets_given"]  # type: ignore[attr-defined]
    }


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_it_shows_appointments_and_leaflets_in_the_summary(record: FullRecord) -> None:
    archive = zipfile.ZipFile(io.BytesIO(subject_access_zip(record.client)))
    text = " ".join(pdf_text(archive.read("summary.pdf")).split())
    starts = timezone.localtime(record.appointment.starts_at)
    assert "Appointments" in text
    assert f"{starts:%-d %b %Y %H:%M}" in text
    assert NOTE_FOR_RECEPTION in text
    assert "Leaflets given" in text
    leaflet = record.client.leaflets_given.get()
    assert leaflet.title in text
    data = json.loads(archive.read("record.json"))
    assert data["appointments"][0]["admin_note"] == NOTE_FOR_RECEPTION
    assert data["leaflets_given"][0]["title"] == leaflet.title

"""The subject access ZIP: a readable summary, the structured record, FHIR and the letters."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from softtissue.accounts.models import User
from softtissue.clients.models import Client, MedicalHistoryItem
from softtissue.letters.models import Letter
from softtissue.privacy.sar import subject_access_zip
from tests.interop.fhir_checks import parse, resources
from tests.interop.fhir_record import full_record


@pytest.fixture
def priya(alice: User) -> Client:
    client = full_record(alice)
    MedicalHistoryItem.objects.create(
        clinic=client.clinic,
        client=client,
        description="Asthma",
        recorded_at=client.created_at,
    )
    return client


@pytest.fixture
def archive(priya: Client) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(subject_access_zip(priya)))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_it_packs_the_summary_record_bundle_and_letters(
    archive: zipfile.ZipFile, priya: Client
) -> None:
    letters = Letter.objects.filter(episode__client=priya)
    assert sorted(archive.namelist()) == sorted(
        ["summary.pdf", "record.json", "fhir.json"]
        + [f"letters/{letter.filename}" for letter in letters]
    )
    assert archive.testzip() is None


def test_it_writes_a_readable_summary(archive: zipfile.ZipFile) -> None:
    text = pdf_text(archive.read("summary.pdf"))
    assert "Priya Shah" in text
    assert "Alice's Clinic" in text
    assert "Lateral elbow tendinopathy" in text
    assert "Asthma" in text
    assert "Soft tissue release" in text  # a technique by name, not by id
    assert "letters/letter-" in text


def test_it_includes_every_part_of_the_record(archive: zipfile.ZipFile, priya: Client) -> None:
    record = json.loads(archive.read("record.json"))
    assert record["client"]["first_name"] == "Priya"
    assert record["client"]["date_of_birth"] == "1980-03-14"
    assert len(record["consents"]) == 2
    assert [h["description"] for h in record["medical_history"]] == ["Asthma"]
    (episode,) = record["episodes"]
    assert episode["condition"] == "condition.lateral-elbow-tendinopathy"
    (assessment,) = episode["assessments"]
    assert assessment["range_of_motion"][0]["degrees"] == 135
    assert len(assessment["special_tests"]) == 3
    assert [n["status"] for n in episode["notes"]] == ["signed", "draft"]
    assert {m["measure"] for m in episode["measures"]} == {"nprs", "odi"}
    assert episode["programme"]["exercises"][0]["exercise"] == "exercise.isometric-wrist-extension"
    assert {letter["file"] for letter in episode["letters"]} == {
        f"letters/{letter.filename}" for letter in Letter.objects.filter(episode__client=priya)
    }


def test_it_leaves_out_internal_columns(archive: zipfile.ZipFile) -> None:
    record = json.loads(archive.read("record.json"))
    assert "clinic_id" not in record["client"]
    assert "phone_digits" not in record["client"]
    letter = record["episodes"][0]["letters"][0]
    assert "pdf" not in letter and "html" not in letter


def test_it_includes_a_valid_fhir_bundle(archive: zipfile.ZipFile) -> None:
    bundle = parse(archive.read("fhir.json").decode())
    assert resources(bundle, "Patient")[0]["name"][0]["given"] == ["Priya"]


def test_it_includes_the_letters_as_sent(archive: zipfile.ZipFile, priya: Client) -> None:
    for letter in Letter.objects.filter(episode__client=priya):
        assert archive.read(f"letters/{letter.filename}") == bytes(letter.pdf)


def test_it_holds_nothing_of_another_client(alice: User, priya: Client) -> None:
    other = full_record(alice, first_name="Ola", letters=False)
    archive = zipfile.ZipFile(io.BytesIO(subject_access_zip(other)))
    assert [n for n in archive.namelist() if n.startswith("letters/")] == []
    assert "Priya" not in archive.read("record.json").decode()
    assert "Priya" not in archive.read("fhir.json").decode()
    assert "Priya" not in pdf_text(archive.read("summary.pdf"))


def test_it_exports_a_client_with_nothing_recorded(alice: User) -> None:
    bare = Client.objects.create(
        clinic=alice.membership.clinic,
        first_name="Ann",
        last_name="Lee",
        date_of_birth=date(1990, 1, 1),
    )
    archive = zipfile.ZipFile(io.BytesIO(subject_access_zip(bare)))
    assert json.loads(archive.read("record.json"))["episodes"] == []
    assert "No episodes of care recorded" in pdf_text(archive.read("summary.pdf"))


def test_it_includes_an_uploaded_clearance(alice: User, priya: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from softtissue.treatments.models import MedicalClearance, TreatmentPlan

    plan = TreatmentPlan.objects.create(
        clinic=priya.clinic,
        episode=priya.episodes.first(),
        goals="Run 5 km",
        frequency="weekly",
        review_on=date(2026, 6, 1),
    )
    clearance = MedicalClearance.objects.create(
        clinic=priya.clinic,
        plan=plan,
        given_by="Dr Okafor",
        given_on=date(2026, 5, 1),
        document=SimpleUploadedFile("gp.pdf", b"%PDF-1.4 clearance", "application/pdf"),
        recorded_by=alice,
    )
    archive = zipfile.ZipFile(io.BytesIO(subject_access_zip(priya)))
    name = f"clearances/{clearance.document.name.rsplit('/', 1)[-1]}"
    assert archive.read(name) == b"%PDF-1.4 clearance"
    record = json.loads(archive.read("record.json"))
    kept = [c for e in record["episodes"] for p in e["treatment_plans"] for c in p["clearances"]]
    assert {c["document"] for c in kept} == {name}

"""A clearance whose file is gone (an old backup, a disk fault) says "file missing", never 500."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from softtissue.privacy.sar import subject_access_zip
from softtissue.treatments.models import MedicalClearance, TreatmentPlan
from tests.security.conftest import make_assessment


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def alices_plan(clinic_a: Clinic, alice: User) -> TreatmentPlan:
    episode = make_assessment(clinic_a, alice, "Nina").episode
    return TreatmentPlan.objects.create(
        clinic=clinic_a,
        episode=episode,
        therapist=alice.therapist,
        goals="Reach overhead without pain",
        frequency="Weekly for 4 weeks",
        review_on=date(2030, 1, 15),
    )


@pytest.fixture
def alices_client(alices_plan: TreatmentPlan) -> Client:
    return alices_plan.episode.client


@pytest.fixture
def lost(alices_plan: TreatmentPlan, alice: User, media: Path) -> MedicalClearance:
    """A recorded clearance letter whose file is no longer in the uploads folder."""
    clearance = MedicalClearance.objects.create(
        clinic=alices_plan.clinic,
        plan=alices_plan,
        given_by="Dr Okafor",
        given_on=date(2026, 11, 20),
        document="clearances/1/20261120093000.pdf",
        recorded_by=alice,
    )
    assert not Path(clearance.document.path).exists()
    return clearance


def test_it_says_file_missing_on_the_download(
    web: WebClient, alice: User, lost: MedicalClearance
) -> None:
    web.force_login(alice)
    response = web.get(f"/clearances/{lost.pk}/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/plans/{lost.plan_id}/", 302)]
    page = response.content.decode()
    assert "file missing" in page
    assert "Dr Okafor" in page


def test_it_still_serves_a_clearance_whose_file_is_there(
    web: WebClient, alice: User, alices_plan: TreatmentPlan
) -> None:
    clearance = MedicalClearance.objects.create(
        clinic=alices_plan.clinic,
        plan=alices_plan,
        given_by="Dr Okafor",
        given_on=date(2026, 11, 20),
        document=SimpleUploadedFile("gp.pdf", b"%PDF-1.4 here", "application/pdf"),
        recorded_by=alice,
    )
    web.force_login(alice)
    response = web.get(f"/clearances/{clearance.pk}/")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 here"


def test_it_says_file_missing_in_the_subject_access_export(
    web: WebClient, owner: User, alices_client: Client, lost: MedicalClearance
) -> None:
    web.force_login(owner)
    response = web.get(f"/clients/{alices_client.pk}/subject-access/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert not any(name.startswith("clearances/") for name in archive.namelist())
    record = json.loads(archive.read("record.json"))
    kept = [c for e in record["episodes"] for p in e["treatment_plans"] for c in p["clearances"]]
    name = Path(str(lost.document.name)).name
    assert [c["document"] for c in kept] == [f"file missing: clearances/{name}"]


def test_it_names_only_the_missing_file_as_missing(
    alice: User, alices_client: Client, lost: MedicalClearance
) -> None:
    kept = MedicalClearance.objects.create(
        clinic=lost.clinic,
        plan=lost.plan,
        given_by="Dr Adebayo",
        given_on=date(2026, 11, 27),
        document=SimpleUploadedFile("gp.pdf", b"%PDF-1.4 kept", "application/pdf"),
        recorded_by=alice,
    )
    archive = zipfile.ZipFile(io.BytesIO(subject_access_zip(alices_client)))
    assert archive.read(f"clearances/{Path(str(kept.document.name)).name}") == b"%PDF-1.4 kept"
    record = json.loads(archive.read("record.json"))
    documents = {
        c["given_by"]: c["document"]
        for e in record["episodes"]
        for p in e["treatment_plans"]
        for c in p["clearances"]
    }
    assert documents["Dr Adebayo"] == f"clearances/{Path(str(kept.document.name)).name}"
    assert documents["Dr Okafor"].startswith("file missing: ")

"""A medical clearance must be the PDF it claims to be; anything else is refused, nothing kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.treatments.models import MedicalClearance, TreatmentPlan

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(web: WebClient, plan: TreatmentPlan, document: SimpleUploadedFile) -> Any:
    return web.post(
        f"/plans/{plan.pk}/clearance/",
        {"given_by": "Dr Okafor", "given_on": "2026-11-20", "document": document},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("letter.pdf", b"PK\x03\x04 a zip", "application/pdf", "This file is not a PDF"),
        ("letter.pdf", b"<html><script>", "application/pdf", "This file is not a PDF"),
        ("letter.pdf", b"", "application/pdf", "The submitted file is empty"),
        ("letter.pdf", PDF, "text/html", "this file was sent as 'text/html'"),
        ("letter.exe", PDF, "application/pdf", "File extension “exe” is not allowed"),
    ],
    ids=["zip", "html", "empty", "wrong-type", "wrong-extension"],
)
def test_it_refuses_a_file_that_is_not_the_pdf_it_claims(
    web: WebClient,
    alice: User,
    alices_plan: TreatmentPlan,
    media: Path,
    name: str,
    content: bytes,
    content_type: str,
    message: str,
) -> None:
    web.force_login(alice)
    response = upload(web, alices_plan, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 400
    errors = " ".join(response.context["clearance_form"].errors["document"])
    assert message in errors
    assert not MedicalClearance.objects.exists()
    assert list(media.rglob("*.*")) == []


def test_it_keeps_a_real_pdf(
    web: WebClient, alice: User, alices_plan: TreatmentPlan, media: Path
) -> None:
    web.force_login(alice)
    response = upload(web, alices_plan, SimpleUploadedFile("x.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    clearance = MedicalClearance.objects.get()
    assert Path(clearance.document.path).read_bytes() == PDF
    assert oct(Path(clearance.document.path).stat().st_mode & 0o777) == "0o600"

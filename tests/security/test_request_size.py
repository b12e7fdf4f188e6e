"""Oversized bodies are refused with a clear 400 before anything reads them; nothing is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from softtissue.treatments.models import MedicalClearance, TreatmentPlan

MB = 1024 * 1024


def test_it_sets_the_limits_deliberately(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * MB
    assert settings.SOFTTISSUE_MAX_UPLOAD_BYTES == 10 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * MB
    assert Path(settings.FILE_UPLOAD_TEMP_DIR).parent == Path(settings.DATA_DIR)
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600


def test_it_refuses_an_oversized_form(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post(
        "/clients/new/",
        {
            "first_name": "Rhea",
            "last_name": "Stone",
            "date_of_birth": "1990-01-01",
            "occupation": "x" * (3 * MB),
        },
    )
    assert response.status_code == 400
    assert (
        b"A form field is too large: the limit for a form&#x27;s text is 2 MB." in response.content
    )
    assert b"Nothing was saved." in response.content
    assert not Client.objects.exists()


def test_it_refuses_an_oversized_urlencoded_form(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    body = "first_name=Rhea&last_name=Stone&occupation=" + "x" * (3 * MB)
    response = web.post("/clients/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"The request is too large (3 MB): the limit is 2 MB." in response.content
    assert not Client.objects.exists()


def test_it_refuses_a_form_with_too_many_fields(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post("/clients/new/", {f"field{n}": "x" for n in range(1200)})
    assert response.status_code == 400
    assert b"too many fields" in response.content


def test_it_refuses_an_oversized_json_body_in_the_api_shape(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    body = '{"first_name": "Rhea", "last_name": "' + "x" * (3 * MB) + '"}'
    response = web.post("/api/v1/clients", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request is too large (3 MB): the limit is 2 MB. "
        "Send a smaller file or less text.",
        "errors": [],
    }
    assert not Client.objects.exists()


def test_it_refuses_an_upload_over_the_upload_limit(
    web: WebClient, alice: User, alices_plan: TreatmentPlan, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.SOFTTISSUE_MAX_UPLOAD_BYTES = 1 * MB
    web.force_login(alice)
    big = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n" + b"0" * (2 * MB), "application/pdf")
    response = web.post(
        f"/plans/{alices_plan.pk}/clearance/",
        {"given_by": "Dr Okafor", "given_on": "2026-11-20", "document": big},
    )
    assert response.status_code == 400
    assert b"the limit is 1 MB" in response.content
    assert not MedicalClearance.objects.exists()
    assert list(tmp_path.rglob("*.*")) == []


def test_it_accepts_an_upload_under_the_limit(
    web: WebClient, alice: User, alices_plan: TreatmentPlan, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    web.force_login(alice)
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n" + b"0" * (3 * MB), "application/pdf")
    response = web.post(
        f"/plans/{alices_plan.pk}/clearance/",
        {"given_by": "Dr Okafor", "given_on": "2026-11-20", "document": letter},
    )
    assert response.status_code == 302
    assert MedicalClearance.objects.count() == 1


@pytest.mark.parametrize("length", ["abc", "-1x"])
def test_it_refuses_a_content_length_that_is_not_a_number(
    web: WebClient, db: None, length: str
) -> None:
    response = web.generic("POST", "/login/", b"", CONTENT_LENGTH=length)
    assert response.status_code == 400
    assert b"Content-Length is not a number" in response.content

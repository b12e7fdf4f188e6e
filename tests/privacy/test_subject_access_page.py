"""The subject access button: the owner downloads the ZIP; nobody else can."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client
from tests.privacy.old_records import treated_client


@pytest.fixture
def client_a(clinic_a: Clinic, alice: User) -> Client:
    return treated_client(clinic_a, alice, date(1960, 1, 1), date(2012, 1, 1))


def test_it_downloads_the_zip_and_records_the_export(
    web: WebClient, owner: User, client_a: Client
) -> None:
    web.force_login(owner)
    response = web.get(f"/clients/{client_a.pk}/subject-access/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{client_a.pk}.zip"'
    )
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert AuditEvent.objects.filter(action="export", client_id=client_a.pk, user=owner).exists()


@pytest.mark.parametrize("who", ["alice", "reception"])
def test_it_refuses_everyone_but_the_owner(
    web: WebClient, request: pytest.FixtureRequest, client_a: Client, who: str
) -> None:
    web.force_login(request.getfixturevalue(who))
    assert web.get(f"/clients/{client_a.pk}/subject-access/").status_code == 403


def test_it_answers_404_for_another_clinics_client(
    web: WebClient, charlie: User, client_a: Client
) -> None:
    web.force_login(charlie)
    assert web.get(f"/clients/{client_a.pk}/subject-access/").status_code == 404

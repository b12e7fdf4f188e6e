"""API for letters: written under the consent rules, read back as metadata and as the kept PDF."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client, Consent
from softtissue.letters.models import Letter
from tests.interop.api_helpers import assert_error, bearer
from tests.letters.conftest import consent


def send(web: WebClient, method: str, path: str, body: object = None, **headers: str) -> Any:
    """A JSON request to the API; the response."""
    data = "" if body is None else json.dumps(body)
    return web.generic(
        method.upper(), f"/api/v1{path}", data, content_type="application/json", **headers
    )


def letter_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "referral",
        "recipient": "gp",
        "recipient_name": "Dr Okafor",
        "recipient_address": "Riverside Surgery, 1 High Street",
        "reason": "Night pain in the low back not eased by rest",
        "history": "Two weeks of low back pain after lifting",
        "request": "Please assess.",
    }
    body.update(extra)
    return body


@pytest.fixture
def episode(clinic_a: Clinic, alice: User) -> Episode:
    """Priya's low back episode; she consented to treatment and to sharing with her GP."""
    priya = Client.objects.create(
        clinic=clinic_a, first_name="Priya", last_name="Shah", date_of_birth=date(1980, 3, 14)
    )
    consent(priya, Consent.Kind.ASSESSMENT_TREATMENT)
    consent(priya, Consent.Kind.SHARE_WITH_GP)
    return Episode.objects.create(
        clinic=clinic_a,
        client=priya,
        therapist=alice.therapist,
        presenting_problem="Low back pain after lifting",
        region="region.lumbar-pelvis",
    )


@pytest.fixture
def letter(web: WebClient, episode: Episode, alice: User) -> dict[str, Any]:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{episode.pk}/letters", letter_body())
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_it_writes_and_keeps_a_letter(
    web: WebClient, letter: dict[str, Any], episode: Episode
) -> None:
    kept = Letter.objects.get()
    assert letter["id"] == kept.pk
    assert (letter["kind"], letter["recipient"]) == ("referral", "gp")
    assert letter["reason"] == "Night pain in the low back not eased by rest"
    assert letter["consent_statement"].startswith("Priya Shah consented")
    assert letter["filename"] == f"letter-{kept.pk}-referral.pdf"
    assert letter["pdf_sha256"] == hashlib.sha256(bytes(kept.pdf)).hexdigest()
    assert web.get(f"/api/v1/letters/{kept.pk}").json() == letter
    listed = web.get(f"/api/v1/episodes/{episode.pk}/letters").json()
    assert listed["count"] == 1
    assert listed["items"][0] == {key: letter[key] for key in listed["items"][0]}
    assert "reason" not in listed["items"][0]


def test_it_gives_the_kept_pdf_under_a_name_without_health_data(
    web: WebClient, letter: dict[str, Any]
) -> None:
    response = web.get(f"/api/v1/letters/{letter['id']}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="letter-{letter["id"]}-referral.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert hashlib.sha256(response.content).hexdigest() == letter["pdf_sha256"]


def test_it_documents_the_pdf_as_binary(web: WebClient) -> None:
    schema = web.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/letters/{letter_id}/pdf"]["get"]
    content = operation["responses"]["200"]["content"]
    assert content == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert "404" in operation["responses"]


def test_it_refuses_a_letter_without_consent_and_keeps_nothing(
    web: WebClient, episode: Episode, alice: User
) -> None:
    consent(episode.client, Consent.Kind.SHARE_WITH_GP, given=False)
    web.force_login(alice)
    for kind in ("referral", "clearance", "discharge"):
        response = send(web, "post", f"/episodes/{episode.pk}/letters", letter_body(kind=kind))
        assert_error(response, 409)
        assert "has not consented to sharing" in response.json()["detail"]
    assert not Letter.objects.exists()


def test_it_allows_an_emergency_handover_without_recorded_consent(
    web: WebClient, episode: Episode, alice: User
) -> None:
    Consent.objects.filter(kind=Consent.Kind.SHARE_WITH_GP).delete()
    web.force_login(alice)
    body = letter_body(recipient="emergency", recipient_name="Duty clinician, A&E")
    response = send(web, "post", f"/episodes/{episode.pk}/letters", body)
    assert response.status_code == 201
    assert "Written consent to share was not recorded" in response.json()["consent_statement"]


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"signature": "Alice"}, ["body", "signature"], "Extra inputs"),
        ({"kind": "invoice"}, ["body", "kind"], "Input should be"),
        ({"recipient": "dentist"}, ["body", "recipient"], "Input should be"),
        ({"reason": ""}, ["body", "reason"], "at least 1 character"),
        ({"reason": ["pain"]}, ["body", "reason"], "valid string"),
        (
            {"kind": "discharge", "recipient": "emergency"},
            ["body", "recipient"],
            "An A&E handover can only be a referral letter.",
        ),
        ({"outcomes": "ODI 40 to 12"}, ["body", "outcomes"], "Only a discharge summary"),
    ],
)
def test_it_refuses_a_bad_letter_and_keeps_nothing(
    web: WebClient,
    episode: Episode,
    alice: User,
    change: dict[str, Any],
    loc: list[str | int],
    message: str,
) -> None:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{episode.pk}/letters", letter_body(**change))
    assert_error(response, 422)
    errors = response.json()["errors"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors
    assert not Letter.objects.exists()


def test_it_hides_another_clinics_letters(
    web: WebClient, letter: dict[str, Any], episode: Episode, charlie: User
) -> None:
    web.force_login(charlie)
    for method, path, body in [
        ("get", f"/episodes/{episode.pk}/letters", None),
        ("post", f"/episodes/{episode.pk}/letters", letter_body()),
        ("get", f"/letters/{letter['id']}", None),
        ("get", f"/letters/{letter['id']}/pdf", None),
    ]:
        response = send(web, method, path, body)
        assert_error(response, 404)
        assert not response.content.startswith(b"%PDF")
    assert Letter.objects.count() == 1


def test_it_refuses_reception(
    web: WebClient, letter: dict[str, Any], episode: Episode, reception: User
) -> None:
    web.force_login(reception)
    for method, path, body in [
        ("get", f"/episodes/{episode.pk}/letters", None),
        ("post", f"/episodes/{episode.pk}/letters", letter_body()),
        ("get", f"/letters/{letter['id']}", None),
        ("get", f"/letters/{letter['id']}/pdf", None),
    ]:
        assert_error(send(web, method, path, body), 403)
    assert Letter.objects.count() == 1


def test_it_refuses_writes_with_a_read_only_token(
    web: WebClient, letter: dict[str, Any], episode: Episode, alice: User
) -> None:
    web.logout()
    read_only = bearer(alice, read_only=True)
    pdf = send(web, "get", f"/letters/{letter['id']}/pdf", **read_only)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    written = send(web, "post", f"/episodes/{episode.pk}/letters", letter_body(), **read_only)
    assert_error(written, 403)
    assert Letter.objects.count() == 1

"""Personal API tokens: hashed at rest, revocable, read-only or read-write, bound to one clinic."""

from __future__ import annotations

import hashlib
import re

from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, Membership, User
from softtissue.interop.models import ApiToken
from tests.interop.api_helpers import assert_error, bearer, make_record, send


def test_it_keeps_only_the_hash(web: WebClient, alice: User) -> None:
    headers = bearer(alice)
    plain = headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = ApiToken.objects.get()
    assert plain.startswith("st_")
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in {str(value) for value in ApiToken.objects.values().get().values()}


def test_it_reads_with_a_token(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    response = web.get(f"/api/v1/clients/{record.client.pk}", **bearer(alice))
    assert response.status_code == 200
    assert response.json()["last_name"] == "Shah"
    assert ApiToken.objects.get().last_used_at is not None


def test_it_refuses_a_revoked_token(web: WebClient, alice: User) -> None:
    headers = bearer(alice)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00Z")
    body = assert_error(web.get("/api/v1/clients", **headers), 401)
    assert "revoked" in body["detail"]


def test_it_refuses_an_unknown_token(web: WebClient, alice: User) -> None:
    headers = {"HTTP_AUTHORIZATION": "Bearer st_not-a-real-token"}
    assert_error(web.get("/api/v1/clients", **headers), 401)
    assert_error(web.get("/api/v1/clients", HTTP_AUTHORIZATION="Bearer nonsense"), 401)


def test_it_refuses_a_token_whose_user_left_the_clinic(web: WebClient, alice: User) -> None:
    headers = bearer(alice)
    Membership.objects.filter(user=alice).delete()
    body = assert_error(web.get("/api/v1/clients", **headers), 401)
    assert "no longer belongs" in body["detail"]


def test_it_refuses_a_token_moved_to_another_clinic(
    web: WebClient, alice: User, clinic_b: Clinic
) -> None:
    headers = bearer(alice)
    Membership.objects.filter(user=alice).update(clinic=clinic_b)
    assert_error(web.get("/api/v1/clients", **headers), 401)


def test_it_refuses_a_deactivated_user(web: WebClient, alice: User) -> None:
    headers = bearer(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert_error(web.get("/api/v1/clients", **headers), 401)


def test_it_refuses_writes_with_a_read_only_token(
    web: WebClient, alice: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a, alice)
    headers = bearer(alice, read_only=True)
    assert web.get(f"/api/v1/clients/{record.client.pk}", **headers).status_code == 200
    created = send(
        web,
        "POST",
        "/api/v1/clients",
        {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01"},
        **headers,
    )
    assert "read-only" in assert_error(created, 403)["detail"]
    patched = send(web, "PATCH", f"/api/v1/clients/{record.client.pk}", {"phone": "1"}, **headers)
    assert_error(patched, 403)
    discharged = send(
        web, "POST", f"/api/v1/episodes/{record.episode.pk}/discharge", {"reason": "x"}, **headers
    )
    assert_error(discharged, 403)
    record.client.refresh_from_db()
    assert record.client.phone == "07700 900123"


def test_it_hides_another_clinics_records_from_a_token(
    web: WebClient, alice: User, charlie: User, clinic_b: Clinic
) -> None:
    theirs = make_record(clinic_b, charlie, last_name="Grant")
    headers = bearer(alice)
    assert_error(web.get(f"/api/v1/clients/{theirs.client.pk}", **headers), 404)
    assert_error(web.get(f"/api/v1/episodes/{theirs.episode.pk}", **headers), 404)
    assert_error(web.get(f"/api/v1/assessments/{theirs.assessment.pk}", **headers), 404)
    assert web.get("/api/v1/clients", **headers).json()["count"] == 0


def test_it_gives_reception_tokens_no_clinical_data(
    web: WebClient, reception: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a)
    headers = bearer(reception)
    assert web.get(f"/api/v1/clients/{record.client.pk}", **headers).status_code == 200
    assert_error(web.get(f"/api/v1/episodes/{record.episode.pk}", **headers), 403)


def test_it_needs_no_csrf_token_with_a_bearer_token(alice: User) -> None:
    web = WebClient(enforce_csrf_checks=True)
    body = {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1990-01-01"}
    assert send(web, "POST", "/api/v1/clients", body, **bearer(alice)).status_code == 201


def test_it_needs_the_csrf_token_with_a_session(alice: User) -> None:
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(alice)
    body = {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1990-01-01"}
    assert "CSRF" in assert_error(send(web, "POST", "/api/v1/clients", body), 403)["detail"]
    assert web.get("/api/v1/clients").status_code == 200


def test_it_creates_a_token_and_shows_it_once(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post("/api-tokens/", {"name": "Spreadsheet", "access": "read_write"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plain = re.search(r'value="(st_[^"]+)"', response.content.decode())
    assert plain is not None
    token = ApiToken.objects.get()
    assert token.name == "Spreadsheet" and not token.read_only and token.user == alice
    again = web.get("/api-tokens/").content.decode()
    assert "Spreadsheet" in again and plain.group(1) not in again
    assert web.get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {plain.group(1)}").json()


def test_it_refuses_a_token_without_a_name(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.post("/api-tokens/", {"name": "  ", "access": "read_only"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "This field is required." in response.content.decode()


def test_it_revokes_a_token(web: WebClient, alice: User) -> None:
    headers = bearer(alice)
    web.force_login(alice)
    token = ApiToken.objects.get()
    response = web.post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(web.get("/api/v1/clients", **headers), 401)
    assert "Revoked" in web.get("/api-tokens/").content.decode()


def test_it_lists_and_revokes_only_my_tokens(
    web: WebClient, alice: User, bob: User, charlie: User
) -> None:
    bob_headers = bearer(bob)
    bob_token = ApiToken.objects.get(user=bob)
    bearer(charlie)
    web.force_login(alice)
    assert "test token" not in web.get("/api-tokens/").content.decode()
    assert web.post(f"/api-tokens/{bob_token.pk}/revoke/").status_code == 404
    assert web.get("/api/v1/clients", **bob_headers).status_code == 200


def test_it_revokes_only_by_post(web: WebClient, alice: User) -> None:
    bearer(alice)
    web.force_login(alice)
    token = ApiToken.objects.get()
    assert web.get(f"/api-tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None

"""One error shape for every 4xx: bad JSON, unknown fields, wrong types, huge pages, no access."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from tests.interop.api_helpers import assert_error, make_record, send

NEW_CLIENT = {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1990-01-01"}


def test_it_answers_401_to_a_visitor(web: WebClient, db: None) -> None:
    body = assert_error(web.get("/api/v1/clients"), 401)
    assert "Bearer" in body["detail"]


def test_it_answers_403_to_reception_on_clinical_operations(
    web: WebClient, reception: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a)
    web.force_login(reception)
    for path in (
        f"/api/v1/clients/{record.client.pk}/episodes",
        f"/api/v1/episodes/{record.episode.pk}",
        f"/api/v1/assessments/{record.assessment.pk}",
        f"/api/v1/assessments/{record.assessment.pk}/reasoning",
    ):
        assert "clinical" in assert_error(web.get(path), 403)["detail"], path


def test_it_answers_403_to_a_user_without_a_clinic(web: WebClient, db: None) -> None:
    web.force_login(User.objects.create_user("nobody@example.org", "correct-horse-battery"))
    assert_error(web.get("/api/v1/clients"), 403)


def test_it_answers_404_for_a_missing_record(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert_error(web.get("/api/v1/clients/999999"), 404)
    assert_error(web.get("/api/v1/clients/-1"), 404)
    assert_error(web.get(f"/api/v1/clients/{2**70}"), 404)


def test_it_refuses_malformed_json(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    body = assert_error(send(web, "POST", "/api/v1/clients", '{"first_name": "Ann",'), 400)
    assert "not valid JSON" in body["detail"]


def test_it_refuses_json_that_is_not_an_object(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert_error(send(web, "POST", "/api/v1/clients", "[1, 2]"), 422)


def test_it_refuses_an_unknown_field_by_name(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = send(web, "POST", "/api/v1/clients", {**NEW_CLIENT, "nhs_number": "x"})
    body = assert_error(response, 422)
    assert body["errors"][0]["loc"][-1] == "nhs_number"
    assert "nhs_number" in body["detail"]
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", 5), ("date_of_birth", "yesterday"), ("sex", "other"), ("phone", ["1"])],
)
def test_it_refuses_a_wrong_type(web: WebClient, alice: User, field: str, value: object) -> None:
    web.force_login(alice)
    body = assert_error(send(web, "POST", "/api/v1/clients", {**NEW_CLIENT, field: value}), 422)
    assert body["errors"][0]["loc"][-1] == field
    assert not Client.objects.exists()


def test_it_refuses_a_nul_character(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = send(web, "POST", "/api/v1/clients", {**NEW_CLIENT, "first_name": "A\x00n"})
    assert "NUL" in assert_error(response, 422)["detail"]
    assert_error(web.get("/api/v1/clients", {"q": "a\x00b"}), 422)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/clients", "/api/v1/clients/{client}/consents", "/api/v1/clients/{client}/episodes"],
)
def test_it_refuses_a_huge_page(web: WebClient, alice: User, clinic_a: Clinic, path: str) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    url = path.format(client=record.client.pk)
    body = assert_error(web.get(url, {"limit": 100000}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]
    assert "200" in body["detail"]
    assert_error(web.get(url, {"limit": 0}), 422)
    assert_error(web.get(url, {"offset": 10**19}), 422)
    assert web.get(url, {"limit": 200}).status_code == 200


def test_it_refuses_a_body_over_the_upload_limit(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    huge = {**NEW_CLIENT, "address": "x" * (3 * 1024 * 1024)}
    assert "too large" in assert_error(send(web, "POST", "/api/v1/clients", huge), 400)["detail"]


def test_it_describes_every_4xx_in_the_openapi(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    schema = web.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in ("400", "401", "403", "404", "422"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)

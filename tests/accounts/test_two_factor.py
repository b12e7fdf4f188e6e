"""Two-factor authentication: enrolling an app, the code step of logging in, switching it off."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from softtissue.accounts.models import User
from tests.accounts.two_factor_helpers import (
    RECOVERY_CODES,
    app_code,
    give_app,
    log_in_with_password,
)


def test_it_shows_a_qr_code_and_the_secret_to_enrol(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get("/profile/two-factor/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    assert b'<svg width="' in response.content
    assert b"QR code for your authenticator app" in response.content
    secret = response.context["secret"].replace(" ", "")
    assert len(secret) == 32 and secret.isalnum()
    assert secret.encode() in response.content.replace(b" ", b"")
    # The same pending app is shown again rather than a new secret on every visit.
    web.get("/profile/two-factor/")
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_it_does_not_count_an_app_until_a_first_code_confirms_it(
    web: WebClient, alice: User
) -> None:
    web.force_login(alice)
    web.get("/profile/two-factor/")
    web.post("/logout/")
    log_in_with_password(web, alice)
    assert web.get("/").status_code == 200


def test_it_confirms_the_app_and_shows_recovery_codes_once(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    web.get("/profile/two-factor/")
    device = TOTPDevice.objects.get(user=alice)
    response = web.post("/profile/two-factor/confirm/", {"code": app_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code.encode() in response.content
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    # The session that enrolled counts as verified; the codes are never shown again.
    page = web.get("/profile/two-factor/")
    assert page.status_code == 200
    assert b"10 unused recovery codes" in page.content
    assert not any(code.encode() in page.content for code in codes)


def test_it_refuses_a_wrong_first_code(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    web.get("/profile/two-factor/")
    response = web.post("/profile/two-factor/confirm/", {"code": "000000x"})
    assert response.status_code == 400
    assert b"That code did not match" in response.content
    assert not TOTPDevice.objects.get(user=alice).confirmed
    assert not StaticDevice.objects.filter(user=alice).exists()


def test_it_asks_for_a_code_after_the_password(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    response = web.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/?next=/clients/"
    assert web.get("/login/verify/?next=/clients/").status_code == 200
    response = web.post("/login/verify/", {"code": app_code(device), "next": "/clients/"})
    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    assert web.get("/clients/").status_code == 200


def test_it_refuses_a_wrong_code_at_login(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = web.post("/login/verify/", {"code": wrong})
    assert response.status_code == 400
    assert b"That code did not match" in response.content
    assert web.get("/").status_code == 302


def test_it_refuses_an_empty_code(web: WebClient, alice: User) -> None:
    give_app(alice)
    log_in_with_password(web, alice)
    response = web.post("/login/verify/", {"code": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_it_accepts_a_recovery_code_only_once(web: WebClient, alice: User) -> None:
    give_app(alice)
    log_in_with_password(web, alice)
    response = web.post("/login/verify/", {"code": RECOVERY_CODES[0].upper()})
    assert response.status_code == 302
    assert web.get("/").status_code == 200

    again = WebClient()
    log_in_with_password(again, alice)
    assert again.post("/login/verify/", {"code": RECOVERY_CODES[0]}).status_code == 400
    assert again.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=alice).count() == len(RECOVERY_CODES) - 1


@pytest.mark.parametrize(
    "path", ["/", "/clients/", "/profile/", "/profile/two-factor/", "/admin/", "/password/"]
)
def test_it_keeps_an_unverified_session_out_of_every_page(
    web: WebClient, owner: User, path: str
) -> None:
    give_app(owner)
    log_in_with_password(web, owner)
    response = web.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/verify/?next=")


def test_it_answers_401_to_an_unverified_session_on_the_api(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    response = web.get("/api/v1/clients")
    assert response.status_code == 401
    assert "detail" in response.json()
    web.post("/login/verify/", {"code": app_code(device)})
    assert web.get("/api/v1/clients").status_code == 200


def test_it_only_follows_next_within_the_site(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    response = web.post(
        "/login/verify/", {"code": app_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_switches_off_with_a_current_code(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    web.post("/login/verify/", {"code": app_code(device)})
    response = web.post("/profile/two-factor/disable/", {"code": app_code(device, drift=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    web.post("/logout/")
    log_in_with_password(web, alice)
    assert web.get("/").status_code == 200


def test_it_refuses_to_switch_off_without_a_valid_code(web: WebClient, alice: User) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    web.post("/login/verify/", {"code": app_code(device)})
    response = web.post("/profile/two-factor/disable/", {"code": "123"})
    assert response.status_code == 400
    assert b"stays on" in response.content
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_it_leaves_users_without_an_app_alone(web: WebClient, alice: User) -> None:
    log_in_with_password(web, alice)
    assert web.get("/").status_code == 200
    assert web.get("/api/v1/clients").status_code == 200

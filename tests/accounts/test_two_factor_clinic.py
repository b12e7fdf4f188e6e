"""An owner makes two-factor compulsory for the clinic; members are then sent to enrol."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from softtissue.accounts.models import Clinic, User
from tests.accounts.two_factor_helpers import app_code, give_app, log_in_with_password


@pytest.fixture
def strict_clinic(clinic_a: Clinic) -> Clinic:
    clinic_a.require_two_factor = True
    clinic_a.save()
    return clinic_a


def test_it_lets_the_owner_require_two_factor(web: WebClient, owner: User, bob: User) -> None:
    web.force_login(owner)
    page = web.get("/clinic/security/")
    assert page.status_code == 200
    assert b'<label for="id_require_two_factor">' in page.content
    assert b"<td>Bob</td>" in page.content
    response = web.post("/clinic/security/", {"require_two_factor": "on"})
    assert response.status_code == 302
    owner.membership.clinic.refresh_from_db()
    assert owner.membership.clinic.require_two_factor


@pytest.mark.parametrize("member", ["alice", "reception"])
def test_it_refuses_the_setting_to_anyone_but_the_owner(
    web: WebClient, member: str, request: pytest.FixtureRequest, clinic_a: Clinic
) -> None:
    web.force_login(request.getfixturevalue(member))
    assert web.get("/clinic/security/").status_code == 403
    assert web.post("/clinic/security/", {"require_two_factor": "on"}).status_code == 403
    clinic_a.refresh_from_db()
    assert not clinic_a.require_two_factor


def test_it_sends_a_visitor_from_the_setting_to_log_in(web: WebClient, db: None) -> None:
    response = web.get("/clinic/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_sends_a_member_without_an_app_to_enrol(
    web: WebClient, alice: User, strict_clinic: Clinic
) -> None:
    log_in_with_password(web, alice)
    response = web.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/profile/two-factor/?next=/clients/"
    page = web.get("/profile/two-factor/")
    assert page.status_code == 200
    assert b"Your clinic requires two-factor authentication" in page.content
    assert web.get("/api/v1/clients").status_code == 401

    device = TOTPDevice.objects.get(user=alice)
    assert web.post("/profile/two-factor/confirm/", {"code": app_code(device)}).status_code == 200
    assert web.get("/clients/").status_code == 200


def test_it_asks_members_with_an_app_for_their_code(
    web: WebClient, alice: User, strict_clinic: Clinic
) -> None:
    give_app(alice)
    log_in_with_password(web, alice)
    response = web.get("/clients/")
    assert response["Location"] == "/login/verify/?next=/clients/"
    # The enrolment page is not a way round the code step.
    assert web.get("/profile/two-factor/").status_code == 302


def test_it_refuses_to_switch_off_when_the_clinic_requires_it(
    web: WebClient, alice: User, strict_clinic: Clinic
) -> None:
    device = give_app(alice)
    log_in_with_password(web, alice)
    web.post("/login/verify/", {"code": app_code(device)})
    response = web.post("/profile/two-factor/disable/", {"code": app_code(device, drift=1)})
    assert response.status_code == 400
    assert b"cannot be switched off" in response.content
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_it_leaves_other_clinics_alone(
    web: WebClient, charlie: User, strict_clinic: Clinic
) -> None:
    log_in_with_password(web, charlie)
    assert web.get("/clients/").status_code == 200

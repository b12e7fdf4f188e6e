"""Codes as an authenticator app would show them, for the two-factor tests."""

from __future__ import annotations

from django.test import Client as WebClient
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from softtissue.accounts.models import User
from tests.conftest import PASSWORD

RECOVERY_CODES = [f"recover{n:02d}" for n in range(3)]


def app_code(device: TOTPDevice, drift: int = 0) -> str:
    """The six digits the app shows now (drift=1: the next 30 seconds, still accepted)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:06d}"


def give_app(user: User) -> TOTPDevice:
    """A confirmed authenticator app with three known recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in RECOVERY_CODES:
        StaticToken.objects.create(device=recovery, token=code)
    return device


def log_in_with_password(web: WebClient, user: User) -> None:
    """The first step, through the real login form."""
    response = web.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content

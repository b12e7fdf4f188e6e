"""Two-factor authentication: who must give a code, and the middleware that makes them."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import segno
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def confirmed_app(user: Any) -> TOTPDevice | None:
    """The user's authenticator app, once a first code has confirmed it."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_app(user: Any) -> TOTPDevice:
    """The app being enrolled: it does not count until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it when typed in (base32, in groups of 4)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no style)."""
    code = segno.make(device.config_url, error="m")
    return str(code.svg_inline(scale=5, title="QR code for your authenticator app"))


def remaining_recovery_codes(user: Any) -> int:
    """How many single-use recovery codes are left."""
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def confirm_app(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending app with its first code; the new recovery codes, or None if wrong."""
    if not device.verify_token(normalise(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=device.user).delete()
        recovery = StaticDevice.objects.create(user=device.user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    otp_login(request, device)
    return codes


def normalise(code: str) -> str:
    """Codes are typed with spaces or dashes now and then; recovery codes in any case."""
    return re.sub(r"[\s-]", "", code).lower()


def check_code(request: HttpRequest, code: str) -> bool:
    """Verify a code from the app or a recovery code, and mark the session verified."""
    user = request.user
    token = normalise(code)
    if not token:
        return False
    # Six digits is an app code; anything else can only be a recovery code.
    devices: list[Any] = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if token.isdigit() and len(token) == 6
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            otp_login(request, verified)
            return True
    return False


def disable(user: Any) -> None:
    """Remove the app and the recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def is_verified(user: Any) -> bool:
    """The session's user gave a code in this session (OTPMiddleware installs the check)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if check is not None else False


def clinic_requires(request: HttpRequest) -> bool:
    """The user's clinic makes two-factor compulsory."""
    clinic = getattr(request, "clinic", None)
    return bool(clinic is not None and clinic.require_two_factor)


class TwoFactorMiddleware:
    """A session is unverified until its code is given: pages wait for it and the API refuses it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not is_verified(user):
            step = self.step_needed(request)
            if step is not None:
                if request.path.startswith("/api/"):
                    # The session does not count as a login; an API token still can.
                    request.user = AnonymousUser()
                    request.membership = None  # type: ignore[attr-defined]
                    request.clinic = None  # type: ignore[attr-defined]
                elif request.path not in self.open_paths(step):
                    return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)

    @staticmethod
    def step_needed(request: HttpRequest) -> str | None:
        """The URL name of the page this user must pass, or None if a password is enough."""
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return "verify_two_factor"
        if clinic_requires(request):
            return "show_two_factor"
        return None

    @staticmethod
    def open_paths(step: str) -> set[str]:
        """Pages an unverified user may still open: the step they must pass, and log out."""
        names = ["login", "logout", step]
        if step == "show_two_factor":
            names.append("confirm_two_factor")
        return {reverse(name) for name in names}

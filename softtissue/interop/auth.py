"""How an API caller proves who they are: the browser session, or a personal Bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from softtissue.accounts.models import Membership
from softtissue.interop.models import TOKEN_PREFIX, ApiToken
from softtissue.tokens import token_hash

# last_used_at is written at most this often per token, so reading is not a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # A visitor is told to authenticate (401) rather than that their CSRF token is missing.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the cookie.")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if getattr(request, "membership", None) is None:
            raise HttpError(403, "This account does not belong to a clinic.")
        request.api_token_read_only = False  # type: ignore[attr-defined]
        return request.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer st_...`: a personal API token of an active clinic member."""

    def __call__(self, request: HttpRequest) -> Any:
        # ninja's HttpBearer logs a header it does not understand; a token must never reach a log.
        header = request.headers.get(self.header, "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX):
            raise AuthenticationError(message="This is not a softtissue API token.")
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_hash(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            raise AuthenticationError(message="This API token is unknown or has been revoked.")
        membership = (
            Membership.objects.select_related("clinic", "user")
            .filter(user_id=found.user_id, clinic_id=found.clinic_id)
            .first()
        )
        if membership is None:
            raise AuthenticationError(
                message="This API token's user no longer belongs to its clinic."
            )
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = membership.user
        request.membership = membership  # type: ignore[attr-defined]
        request.clinic = membership.clinic  # type: ignore[attr-defined]
        request.api_token_read_only = found.read_only  # type: ignore[attr-defined]
        return membership.user

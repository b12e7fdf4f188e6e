"""Attach the logged-in user's clinic and membership to every request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from softtissue.accounts.models import Membership


class ClinicMiddleware:
    """Sets request.membership and request.clinic (None for visitors and clinic-less users)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = (
                Membership.objects.select_related("clinic").filter(user=request.user).first()
            )
        request.membership = membership  # type: ignore[attr-defined]
        request.clinic = membership.clinic if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)

"""django-axes hooks: whose address counts, and what a locked-out login page says."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from softtissue.accounts.forms import EmailLoginForm


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address; behind our proxy, the one it appended to X-Forwarded-For."""
    if settings.SOFTTISSUE_BEHIND_PROXY:
        # Only the last entry is written by our proxy; earlier ones come from the client.
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if forwarded:
            return forwarded
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def lockout_minutes() -> int:
    """The cool-off period in whole minutes, for the message."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The login page with the lockout message; it reads the same whether the email exists."""
    email = str(request.POST.get("username", ""))[:254] if request.method == "POST" else ""
    form = EmailLoginForm(request, initial={"username": email})
    context = {
        "form": form,
        "locked_out": True,
        "lockout_minutes": lockout_minutes(),
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }
    return render(request, "accounts/login.html", context, status=429)

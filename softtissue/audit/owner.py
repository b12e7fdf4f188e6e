"""owner_required: pages only the clinic's owner may open (the audit log, retention, erasure)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from softtissue.accounts.models import Membership

# Owner pages may stream (the audit log's CSV), so any response type will do.
View = Callable[..., HttpResponseBase]


def owner_required(view: View) -> View:
    """Visitors go to the login page; therapists and reception are refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = getattr(request, "membership", None)
        if membership is None or membership.role != Membership.Role.OWNER:
            raise PermissionDenied("Only the clinic's owner can open this page.")
        return view(request, *args, **kwargs)

    return wrapper

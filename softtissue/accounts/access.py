"""Who may see what: decorators every clinic page uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from softtissue.accounts.models import Membership

View = Callable[..., HttpResponse]


def _members_who(allowed: Callable[[Membership], bool], refusal: str) -> Callable[[View], View]:
    """A decorator: visitors go to log in; members without a clinic, or not allowed, get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                raise PermissionDenied("This account does not belong to a clinic.")
            if not allowed(membership):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Any member of the clinic.
member_required = _members_who(lambda membership: True, "")
# Owners and therapists: reception staff do not read clinical data.
clinical_required = _members_who(
    lambda membership: membership.is_clinical, "Reception staff cannot open clinical records."
)
# The clinic's owner alone.
owner_required = _members_who(
    lambda membership: membership.role == Membership.Role.OWNER,
    "Only the clinic's owner can change this.",
)

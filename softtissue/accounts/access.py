"""Who may see what: decorators every clinic page uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def member_required(view: View) -> View:
    """Visitors go to the login page; a user with no clinic is refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "membership", None) is None:
            raise PermissionDenied("This account does not belong to a clinic.")
        return view(request, *args, **kwargs)

    return wrapper


def clinical_required(view: View) -> View:
    """Like member_required, and reception staff are refused: they do not read clinical data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = getattr(request, "membership", None)
        if membership is None:
            raise PermissionDenied("This account does not belong to a clinic.")
        if not membership.is_clinical:
            raise PermissionDenied("Reception staff cannot open clinical records.")
        return view(request, *args, **kwargs)

    return wrapper


def owner_required(view: View) -> View:
    """Like member_required, and only the clinic's owner may enter."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = getattr(request, "membership", None)
        if membership is None:
            raise PermissionDenied("This account does not belong to a clinic.")
        if membership.role != "owner":
            raise PermissionDenied("Only the clinic's owner can change this.")
        return view(request, *args, **kwargs)

    return wrapper

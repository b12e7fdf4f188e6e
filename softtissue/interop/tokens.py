"""API tokens: your own (list, create, shown once; revoke), every token of the clinic for its
owner, and their end when their user's password changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import member_required
from softtissue.accounts.models import Membership
from softtissue.interop.forms import ApiTokenForm
from softtissue.interop.models import TOKEN_PREFIX, ApiToken
from softtissue.tokens import new_token, token_hash


def create_token(membership: Membership, name: str, read_only: bool) -> tuple[ApiToken, str]:
    """A new token for this member and its plain text, which exists only in this answer."""
    secret, _ = new_token()
    plain = TOKEN_PREFIX + secret
    token = ApiToken.objects.create(
        clinic=membership.clinic,
        user=membership.user,
        name=name,
        token_hash=token_hash(plain),
        read_only=read_only,
    )
    return token, plain


@member_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Your API tokens in this clinic, and a form to create one."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        read_only = form.cleaned_data["access"] == "read_only"
        created = create_token(membership, form.cleaned_data["name"], read_only)
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(clinic=membership.clinic, user=membership.user)
    context = {
        "form": form,
        "tokens": tokens,
        "created": created[0] if created else None,
        "plain_token": created[1] if created else None,
    }
    status = 400 if form.is_bound and form.errors else 200
    response = render(request, "interop/api_tokens.html", context, status=status)
    # The page may carry a token's only copy: no browser or proxy cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of your tokens: it stops working at once and cannot be restored."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    token = get_object_or_404(ApiToken, pk=pk, clinic=membership.clinic, user=membership.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, f"Token '{token.name}' revoked.")
    return redirect("api_tokens")


def revoke_tokens_of(user_id: int) -> int:
    """Revoke every active token of the user, in every clinic; how many there were."""
    active = ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True)
    return active.update(revoked_at=timezone.now())


def revoke_on_password_change(
    sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """After a user is saved with a new password, their API tokens stop working (post_save).

    A token is a password of its own: whoever changed a password because it leaked must not
    find a token made with the old one still open.
    """
    # set_password() keeps the new password until the save is done, as Django's own
    # password_changed() reads it; the hasher's upgrade at a login clears it first.
    if created or raw or getattr(instance, "_password", None) is None:
        return
    revoke_tokens_of(instance.pk)


View = Callable[..., HttpResponse]


def clinic_owner_only(view: View) -> View:
    """Visitors go to log in; to anyone but the clinic's owner the page does not exist (404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = getattr(request, "membership", None)
        if membership is None or membership.role != Membership.Role.OWNER:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


@clinic_owner_only
def clinic_api_tokens(request: HttpRequest) -> HttpResponse:
    """Every member's API tokens in this clinic, with a button to revoke each active one."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    tokens = (
        ApiToken.objects.filter(clinic=membership.clinic)
        .select_related("user")
        .order_by("revoked_at", "user__first_name", "user__email", "-created_at", "-pk")
    )
    response = render(request, "interop/clinic_api_tokens.html", {"tokens": tokens})
    response["Cache-Control"] = "no-store"
    return response


@clinic_owner_only
@require_POST
def revoke_clinic_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner revokes any member's token: it stops working at once and cannot be restored."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    token = get_object_or_404(
        ApiToken.objects.select_related("user"), pk=pk, clinic=membership.clinic
    )
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, f"Token '{token.name}' of {token.user} revoked.")
    return redirect("clinic_api_tokens")

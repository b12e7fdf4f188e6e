"""The API tokens page: list, create (the token is shown once) and revoke your own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
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

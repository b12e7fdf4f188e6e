"""Two-factor pages: the code step of logging in, enrolling an app, and the owner's setting."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from softtissue.accounts import two_factor
from softtissue.accounts.access import member_required, owner_required
from softtissue.accounts.forms import ClinicSecurityForm, CodeForm
from softtissue.accounts.models import Clinic, Membership


def safe_next(request: HttpRequest) -> str:
    """Where to go after the code step: the page asked for, if it is one of ours."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def verify_two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if two_factor.is_verified(request.user) or two_factor.confirmed_app(request.user) is None:
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.check_code(request, form.cleaned_data["code"]):
            return redirect(safe_next(request))
        form.add_error(
            "code",
            "That code did not match. Type the code your app shows now (it changes every 30 "
            "seconds), or one of your recovery codes. After several wrong codes you must wait "
            "a little longer before each try.",
        )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": safe_next(request)}
    return render(request, "accounts/verify_two_factor.html", context, status=status)


@member_required
def show_two_factor(request: HttpRequest) -> HttpResponse:
    """Two-factor status: enrol an app (QR code and secret), or switch it off."""
    return render_two_factor(request, CodeForm())


def render_two_factor(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    """The two-factor page, with the enrolment details while no app is confirmed."""
    device = two_factor.confirmed_app(request.user)
    context: dict[str, object] = {
        "form": form,
        "device": device,
        "required": two_factor.clinic_requires(request),
    }
    if device is None:
        pending = two_factor.pending_app(request.user)
        context["qr_svg"] = two_factor.qr_svg(pending)
        context["secret"] = two_factor.secret_text(pending)
    else:
        context["recovery_left"] = two_factor.remaining_recovery_codes(request.user)
    return render(request, "accounts/two_factor.html", context, status=status)


@member_required
@require_POST
def confirm_two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm the app with its first code, then show the recovery codes (this once only)."""
    if two_factor.confirmed_app(request.user) is not None:
        return redirect("show_two_factor")
    form = CodeForm(request.POST)
    if form.is_valid():
        pending = two_factor.pending_app(request.user)
        codes = two_factor.confirm_app(request, pending, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code",
            "That code did not match. Check the app shows softtissue and type the code it "
            "shows now; if it still fails, check the phone's clock is set automatically.",
        )
    return render_two_factor(request, form, status=400)


@member_required
@require_POST
def disable_two_factor(request: HttpRequest) -> HttpResponse:
    """Switch two-factor off, with a current code as proof it is really you."""
    if two_factor.clinic_requires(request):
        messages.error(
            request, "Your clinic requires two-factor authentication, so it cannot be switched off."
        )
        return render_two_factor(request, CodeForm(), status=400)
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.check_code(request, form.cleaned_data["code"]):
        two_factor.disable(request.user)
        messages.success(request, "Two-factor authentication is off.")
        return redirect("show_two_factor")
    if form.is_valid():
        form.add_error("code", "That code did not match, so two-factor authentication stays on.")
    return render_two_factor(request, form, status=400)


@owner_required
def edit_clinic_security(request: HttpRequest) -> HttpResponse:
    """The owner decides whether every member must use two-factor authentication."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    form = ClinicSecurityForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Security settings saved.")
        return redirect("edit_clinic_security")
    members = (
        Membership.objects.filter(clinic=clinic).select_related("user").order_by("user__email")
    )
    with_app = set(
        TOTPDevice.objects.filter(user__membership__clinic=clinic, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    rows = [(m, m.user_id in with_app) for m in members]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/clinic_security.html", {"form": form, "rows": rows}, status=status
    )

"""Log in, log out, change password, and the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from softtissue.accounts.access import member_required
from softtissue.accounts.forms import EmailLoginForm
from softtissue.accounts.models import Membership, Qualification, Therapist
from softtissue.clients.models import Client
from softtissue.interop.models import ApiToken

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=EmailLoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()


class ChangePasswordView(auth_views.PasswordChangeView):
    """Django's password change; saving the new password revokes the user's API tokens
    (softtissue.interop.tokens), and the next page says how many."""

    template_name = "accounts/change_password.html"
    success_url = reverse_lazy("password_changed")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        tokens = ApiToken.objects.filter(user_id=form.user.pk, revoked_at__isnull=True)
        active = tokens.count()
        response = super().form_valid(form)
        if active:
            revoked = "1 API token was" if active == 1 else f"{active} API tokens were"
            messages.info(
                self.request,
                f"{revoked} revoked with your old password: make new ones on the API tokens page.",
            )
        return response


change_password = ChangePasswordView.as_view()
password_changed = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_changed.html"
)


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The home page: who you are, your clinic, your qualifications and the team."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    qualifications = Qualification.objects.filter(
        clinic=membership.clinic, therapist__user=membership.user
    ).order_by("awarded_on", "knowledge_id")
    team = (
        Membership.objects.filter(clinic=membership.clinic)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )
    clients = Client.objects.filter(clinic=membership.clinic)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "qualifications": qualifications,
            "team": team,
            "client_count": clients.count(),
            "recent_clients": clients.order_by("-updated_at", "-pk")[:5],
        },
    )


@member_required
def show_profile(request: HttpRequest) -> HttpResponse:
    """The logged-in therapist's qualifications, CPD certificates and insurance, with dates."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    therapist = (
        Therapist.objects.filter(clinic=membership.clinic, user=membership.user)
        .prefetch_related("qualifications", "cpd_certificates", "insurance_policies")
        .first()
    )
    today = timezone.localdate()
    policies = (
        [(p, p.expired_on(today)) for p in therapist.insurance_policies.all()] if therapist else []
    )
    context = {"therapist": therapist, "policies": policies, "today": today}
    return render(request, "accounts/profile.html", context)

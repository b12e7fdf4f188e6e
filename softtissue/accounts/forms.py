"""Forms for logging in, two-factor codes and the clinic's security setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from softtissue.accounts.models import Clinic


class EmailLoginForm(AuthenticationForm):
    """Log in with an email address, whatever its case."""

    def clean_username(self) -> str:
        """Emails are stored in lower case."""
        return str(self.cleaned_data.get("username", "")).strip().lower()


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


if TYPE_CHECKING:
    ClinicSecurityModelForm = forms.ModelForm[Clinic]
else:
    ClinicSecurityModelForm = forms.ModelForm


class ClinicSecurityForm(ClinicSecurityModelForm):
    """The owner's clinic-wide security setting."""

    class Meta:
        model = Clinic
        fields = ["require_two_factor"]

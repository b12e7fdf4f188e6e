"""Forms for logging in."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class EmailLoginForm(AuthenticationForm):
    """Log in with an email address, whatever its case."""

    def clean_username(self) -> str:
        """Emails are stored in lower case."""
        return str(self.cleaned_data.get("username", "")).strip().lower()

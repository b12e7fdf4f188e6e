"""The audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import CLIENT_PATHS
from softtissue.limits import DayField, IdField


class AuditFilterForm(forms.Form):
    """Who, which client, what, when: every field optional."""

    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="User")
    client = IdField(required=False, label="Client number")
    action = forms.ChoiceField(required=False, label="Action")
    object_type = forms.ChoiceField(required=False, label="Record type")
    start = DayField(required=False, label="From")
    end = DayField(required=False, label="To")

    def __init__(self, clinic: Clinic, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(membership__clinic=clinic).order_by("first_name", "email")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", "Any"), *AuditEvent.Action.choices]  # type: ignore[attr-defined]
        types = sorted(CLIENT_PATHS)
        self.fields["object_type"].choices = [("", "Any"), *((t, t) for t in types)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the period is before its start.")
        return cleaned

"""Forms of the privacy pages: a legal hold's reason, and erasure's typed confirmation."""

from __future__ import annotations

from django import forms

from softtissue.limits import IdField


class LegalHoldForm(forms.Form):
    """Why the record must be kept whatever its retention date."""

    reason = forms.CharField(
        max_length=300,
        label="Reason for the hold",
        help_text="For example: insurer notified of a claim, complaint under investigation.",
    )


class LiftHoldForm(forms.Form):
    """Which legal hold to lift: the form on the privacy page sends its number."""

    hold = IdField(error_messages={"required": "Say which legal hold to lift."})


class EraseForm(forms.Form):
    """The client's full name, typed, so no record is erased by a slip."""

    confirm_name = forms.CharField(
        max_length=210,
        label="Type the client's full name to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

"""The form that names a new personal API token and chooses what it may do."""

from __future__ import annotations

from django import forms

from softtissue.clients.forms import PlainLabels


class ApiTokenForm(PlainLabels, forms.Form):
    """A token's name, and whether it may change records or only read them."""

    id_prefix = "token"

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, e.g. 'Spreadsheet export'.",
    )
    access = forms.ChoiceField(
        label="Access",
        choices=[("read_only", "Read only"), ("read_write", "Read and write")],
        widget=forms.RadioSelect,
        initial="read_only",
    )

"""Forms for the client record: every value is checked here, before anything is saved."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from softtissue.clients.coding import history_terms
from softtissue.clients.models import Client, Consent
from softtissue.clients.normalise import DATE_FORMATS
from softtissue.limits import ADDRESS, LIST, formfield

if TYPE_CHECKING:
    ClientModelForm = forms.ModelForm[Client]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    ClientModelForm = forms.ModelForm

EARLIEST_BIRTH = date(1900, 1, 1)
CONTACT_FIELDS = (
    "phone",
    "email",
    "address",
    "postcode",
    "emergency_contact",
    "gp_name",
    "gp_practice",
    "gp_address",
    "gp_phone",
)


class PlainLabels:
    """Labels without Django's trailing colon, and field ids unique on a page of several forms."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def check_date_of_birth(value: date) -> date:
    """Refuse a date of birth in the future or before 1900."""
    if value > timezone.localdate():
        raise forms.ValidationError("The date of birth cannot be in the future.")
    if value < EARLIEST_BIRTH:
        raise forms.ValidationError("The date of birth cannot be before 1900.")
    return value


class ClientForm(PlainLabels, ClientModelForm):
    """Identity, contacts and GP details: reception may fill it too."""

    date_of_birth = forms.DateField(
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="For example 31/12/1980.",
    )

    class Meta:
        formfield_callback = formfield
        model = Client
        fields = (
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "occupation",
            "activities",
            *CONTACT_FIELDS,
        )
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "gp_address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "gp_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def clean_date_of_birth(self) -> date:
        return check_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("first_name", "last_name"):
            if name in cleaned and not cleaned[name].strip():
                self.add_error(name, "This field is required.")
        return cleaned


class NewClientForm(ClientForm):
    """The new-client page: a one-time key against a double submit, and the confirmation that a
    possible duplicate is another person."""

    submission_key = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    confirm_duplicate = forms.BooleanField(
        required=False, label="This is a different person: create a new record"
    )


class HistoryItemForm(PlainLabels, forms.Form):
    """One medical-history item as typed; it is coded to the knowledge when it matches."""

    id_prefix = "history"

    description = forms.CharField(
        label="Condition or past problem",
        max_length=300,
        help_text="Pick a suggestion or type it in your own words.",
    )


class MedicationForm(PlainLabels, forms.Form):
    """One medicine as typed; it is coded to the knowledge when it matches."""

    id_prefix = "medication"

    name = forms.CharField(label="Medicine", max_length=200)
    dose = forms.CharField(label="Dose and how often", max_length=100, required=False)


class ConsentForm(PlainLabels, forms.Form):
    """A consent given or withdrawn, how, and the client's typed-name signature."""

    id_prefix = "consent"

    kind = forms.ChoiceField(label="Consent to", choices=Consent.Kind.choices)
    given = forms.TypedChoiceField(
        label="Decision",
        choices=[("yes", "Given"), ("no", "Withdrawn or refused")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    method = forms.ChoiceField(label="How", choices=Consent.Method.choices)
    signed_name = forms.CharField(
        label="Client's typed name (signature)",
        max_length=200,
        help_text="The client types their full name.",
    )


class IntakeForm(PlainLabels, forms.Form):
    """What a client fills on the tablet: contacts, GP, history, medicines and consent."""

    phone = forms.CharField(max_length=40, required=False, label="Phone")
    email = forms.EmailField(required=False, label="Email")
    address = ADDRESS.form_field(required=False, label="Address")
    postcode = forms.CharField(max_length=12, required=False, label="Postcode")
    emergency_contact = forms.CharField(
        max_length=200, required=False, label="Emergency contact (name and phone)"
    )
    gp_name = forms.CharField(max_length=200, required=False, label="GP name")
    gp_practice = forms.CharField(max_length=200, required=False, label="GP practice")
    gp_address = ADDRESS.form_field(required=False, label="GP address", rows=2)
    gp_phone = forms.CharField(max_length=40, required=False, label="GP phone")
    history = forms.MultipleChoiceField(
        required=False,
        label="Please tick any that apply to you",
        widget=forms.CheckboxSelectMultiple,
    )
    medications = LIST.form_field(
        required=False,
        label="Medicines you take (one per line, with the dose if you know it)",
        rows=4,
    )
    signed_name = forms.CharField(
        max_length=200, label="Type your full name to sign", help_text="This is your signature."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["history"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(term.code, term.question) for term in history_terms()]
        for kind, label in Consent.Kind.choices:
            self.fields[f"consent_{kind}"] = forms.ChoiceField(
                label=f"Do you consent to {str(label).lower()}?",
                choices=[("yes", "Yes, I consent"), ("no", "No")],
                widget=forms.RadioSelect,
            )

    def clean_signed_name(self) -> str:
        name = str(self.cleaned_data["signed_name"]).strip()
        if not name:
            raise forms.ValidationError("Type your name to sign.")
        return name

    def medication_lines(self) -> list[str]:
        """The medicines typed, one per non-blank line."""
        text = str(self.cleaned_data.get("medications", ""))
        return [line.strip()[:200] for line in text.splitlines() if line.strip()]

    def consent_answers(self) -> dict[str, bool]:
        """Each kind of consent and whether it was given."""
        return {kind: self.cleaned_data[f"consent_{kind}"] == "yes" for kind in Consent.Kind.values}

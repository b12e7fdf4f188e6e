"""The booking form: a therapist of the same clinic, a time, a length and a status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from softtissue.accounts.models import Clinic, Therapist
from softtissue.appointments.models import MAX_DURATION_MINUTES, Appointment
from softtissue.clients.forms import PlainLabels
from softtissue.limits import DayField

if TYPE_CHECKING:
    AppointmentModelForm = forms.ModelForm[Appointment]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    AppointmentModelForm = forms.ModelForm

DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")


class TherapistChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Therapists shown by name; another clinic's therapist is not a valid choice."""

    default_error_messages = {
        "invalid_choice": "Choose one of this clinic's therapists.",
    }

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AppointmentForm(PlainLabels, AppointmentModelForm):
    """Book or change an appointment; the status is only offered once it exists."""

    id_prefix = "appointment"

    starts_at = forms.DateTimeField(
        label="Starts",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        help_text="Date and time, for example 31/12/2026 14:30.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        initial=60,
        error_messages={"min_value": "The length must be at least 1 minute."},
    )

    class Meta:
        model = Appointment
        fields = ("therapist", "starts_at", "duration_minutes", "status", "admin_note")

    def __init__(self, *args: Any, clinic: Clinic, booking: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapists = Therapist.objects.filter(clinic=clinic).select_related("user")
        self.fields["therapist"] = TherapistChoice(
            queryset=therapists.order_by("user__first_name", "user__last_name", "pk"),
            required=False,
            empty_label="Any therapist",
            label="Therapist",
        )
        if booking:
            del self.fields["status"]


class DayForm(forms.Form):
    """The day the appointment list shows (?date=YYYY-MM-DD); today when left out."""

    date = DayField(required=False)

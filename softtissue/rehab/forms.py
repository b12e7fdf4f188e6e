"""Forms of the programme builder and the client's tick list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from softtissue.limits import IdField, formfield
from softtissue.rehab.catalogue import PURPOSES, exercises, regions
from softtissue.rehab.models import MAX_PHASE, PrescribedExercise, Programme

if TYPE_CHECKING:
    PrescribedModelForm = forms.ModelForm[PrescribedExercise]
    ProgrammeModelForm = forms.ModelForm[Programme]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    PrescribedModelForm = ProgrammeModelForm = forms.ModelForm

PHASES = [(n, f"Phase {n}") for n in range(1, MAX_PHASE + 1)]


class AddExerciseForm(forms.Form):
    """An exercise id from the knowledge base, the phase, and an optional dosage."""

    exercise = forms.CharField(max_length=100)
    phase = forms.TypedChoiceField(choices=PHASES, coerce=int, initial=1)
    dosage = forms.CharField(max_length=200, required=False)

    def clean_exercise(self) -> str:
        """Refuse an id the knowledge base does not know, saying so."""
        exercise_id: str = self.cleaned_data["exercise"].strip()
        if exercise_id not in exercises():
            raise forms.ValidationError(
                f"{exercise_id!r} is not an exercise in the knowledge base: "
                "choose one from the list."
            )
        return exercise_id


class PrescribedExerciseForm(PrescribedModelForm):
    """Change one prescribed exercise's phase and dosage."""

    phase = forms.TypedChoiceField(choices=PHASES, coerce=int)

    class Meta:
        model = PrescribedExercise
        fields = ["phase", "dosage"]
        error_messages = {"dosage": {"required": "Give a dosage, e.g. 3 sets of 12, daily."}}


class NotesForm(ProgrammeModelForm):
    """The therapist's notes printed on the client's sheet."""

    class Meta:
        formfield_callback = formfield
        model = Programme
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ExerciseSearchForm(forms.Form):
    """Filter the knowledge base's exercises by region, purpose and name."""

    region = forms.ChoiceField(required=False)
    purpose = forms.ChoiceField(required=False, choices=[("", "Any purpose"), *PURPOSES.items()])
    q = forms.CharField(label="Name contains", required=False, max_length=100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "Any region"), *regions().items()]  # type: ignore[attr-defined]


class TickForm(forms.Form):
    """The client ticks (done=yes) or unticks an exercise of their programme for today."""

    exercise = IdField()
    done = forms.CharField(required=False, max_length=3)

"""Forms for plans, the gate's records and notes; they refuse bad input at the boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import FileExtensionValidator

from softtissue.assessments.questions import kb, region_choices
from softtissue.limits import PARAGRAPH, SOAP, bounded
from softtissue.treatments.models import (
    REASON_MIN_CHARACTERS,
    REASON_MIN_WORDS,
    MedicalClearance,
    TreatmentNote,
    TreatmentPlan,
    reason_problem,
    validate_override_reason,
)

if TYPE_CHECKING:
    PlanModelForm = forms.ModelForm[TreatmentPlan]
    ClearanceModelForm = forms.ModelForm[MedicalClearance]
    NoteModelForm = forms.ModelForm[TreatmentNote]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    PlanModelForm = ClearanceModelForm = NoteModelForm = forms.ModelForm

UNKNOWN = "The knowledge base does not know %(value)s: choose one from the list."


def technique_choices() -> list[tuple[str, str]]:
    """Technique id -> name, blank first."""
    names = sorted((str(t["name"]), key) for key, t in kb().techniques.items())
    return [("", "No technique")] + [(key, name) for name, key in names]


def condition_choices() -> list[tuple[str, str]]:
    """Condition id -> name, blank first."""
    names = sorted((str(c["name"]), key) for key, c in kb().conditions.items())
    return [("", "None chosen")] + [(key, name) for name, key in names]


def category_choices() -> list[tuple[str, str]]:
    """Condition category id -> label, blank first."""
    return [("", "From the condition")] + [
        (key, str(c["label"])) for key, c in kb().categories.items()
    ]


def known_choice(label: str, choices: list[tuple[str, str]], required: bool) -> forms.ChoiceField:
    """A choice field whose error for an unknown id says the knowledge base does not know it."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"invalid_choice": UNKNOWN, "required": f"Choose a {label.lower()}."},
    )


class TechniqueRowForm(forms.Form):
    """One planned or used technique in one region."""

    technique = forms.ChoiceField()
    region = forms.ChoiceField()
    dosage = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technique"] = known_choice("Technique", technique_choices(), False)
        self.fields["region"] = known_choice(
            "Region", [("", "Choose a region"), *region_choices()], False
        )

    def clean(self) -> dict[str, Any]:
        """A technique needs its region."""
        data = super().clean() or {}
        if data.get("technique") and not data.get("region"):
            self.add_error("region", "Choose the region this technique is used on.")
        return data


if TYPE_CHECKING:
    TechniqueFormSet = forms.BaseFormSet[TechniqueRowForm]
else:
    # django-stubs makes BaseFormSet generic for the type checker only.
    TechniqueFormSet = forms.BaseFormSet


class BaseTechniqueRows(TechniqueFormSet):
    """Technique rows in which each technique appears once per region."""

    def clean(self) -> None:
        """Refuse a technique listed twice for the same region."""
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            pair = (data.get("technique", ""), data.get("region", ""))
            if not pair[0]:
                continue
            if pair in seen:
                raise forms.ValidationError(
                    "A technique is listed twice for the same region: keep one row for it."
                )
            seen.add(pair)


TechniqueRows = forms.formset_factory(
    TechniqueRowForm, formset=BaseTechniqueRows, extra=2, max_num=30, validate_max=True
)


def technique_rows(formset: forms.BaseFormSet[TechniqueRowForm]) -> list[dict[str, str]]:
    """The filled rows of a valid formset."""
    return [
        {
            "technique": form.cleaned_data["technique"],
            "region": form.cleaned_data["region"],
            "dosage": form.cleaned_data.get("dosage", ""),
        }
        for form in formset.forms
        if form.cleaned_data.get("technique")
    ]


@bounded(goals=PARAGRAPH)
class PlanForm(PlanModelForm):
    """Goals, what is treated, frequency and review date."""

    class Meta:
        model = TreatmentPlan
        fields = ["goals", "condition", "condition_category", "frequency", "review_on"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "review_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "goals": {"required": "Write the goals: specific and measurable."},
            "frequency": {"required": "Say how often you will treat, e.g. weekly for 4 weeks."},
            "review_on": {"required": "Choose the date to review the plan."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"] = known_choice("Condition treated", condition_choices(), False)
        self.fields["condition_category"] = known_choice(
            "Condition category", category_choices(), False
        )

    def clean(self) -> dict[str, Any]:
        """A plan treats a condition or a condition category."""
        data = super().clean() or {}
        if not data.get("condition") and not data.get("condition_category"):
            self.add_error("condition", "Choose the condition treated, or a condition category.")
        return data


class OverrideForm(forms.Form):
    """The therapist's written reason for proceeding despite the gate (the rule is the model's)."""

    reason = forms.CharField(
        label="Why you are proceeding",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"At least a sentence: {REASON_MIN_WORDS} words or more, "
        f"{REASON_MIN_CHARACTERS} characters or more.",
        validators=[validate_override_reason],
        error_messages={"required": reason_problem("")},
    )


@bounded(note=PARAGRAPH)
class ClearanceForm(ClearanceModelForm):
    """A recorded medical clearance: who cleared, when, and the letter or a note of it."""

    class Meta:
        model = MedicalClearance
        fields = ["given_by", "given_on", "note", "document"]
        widgets = {
            "given_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document = self.fields["document"]
        document.validators.append(FileExtensionValidator(["pdf"]))

    def clean_document(self) -> Any:
        """A PDF in fact, not only in name: the content type and the file's first bytes agree."""
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "content_type"):
            return document  # nothing uploaded (or the file already stored)
        if document.content_type != "application/pdf":
            raise forms.ValidationError(
                "The clearance must be a PDF; this file was sent as "
                f"{document.content_type[:60]!r}."
            )
        document.seek(0)
        start = document.read(5)
        document.seek(0)
        if start != b"%PDF-":
            raise forms.ValidationError(
                "This file is not a PDF (it does not start like one): upload the letter as a PDF."
            )
        return document

    def clean(self) -> dict[str, Any]:
        """A clearance is either an uploaded letter or a note of what was said."""
        data = super().clean() or {}
        if not data.get("note") and not data.get("document"):
            self.add_error("note", "Upload the clearance (PDF) or write a note of it.")
        return data


@bounded(subjective=SOAP, objective=SOAP, response=SOAP, advice=SOAP, plan=SOAP)
class NoteForm(NoteModelForm):
    """The SOAP note of a session (techniques come in their own rows)."""

    acknowledge = forms.BooleanField(
        label="I have read the scope warnings and take responsibility for proceeding",
        required=False,
    )

    class Meta:
        model = TreatmentNote
        fields = ["session_date", "subjective", "objective", "response", "advice", "plan"]
        widgets = {
            "session_date": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("subjective", "objective", "response", "advice", "plan")
            },
        }


class AddendumForm(forms.Form):
    """Text added to a signed note."""

    text = SOAP.form_field(label="Addendum", error_messages={"required": "Write the addendum."})

"""Forms for episodes and each section of an assessment; they refuse bad input at the boundary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms

from softtissue.assessments import bodychart
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    Episode,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.questions import kb, region_choices, test_choices
from softtissue.assessments.rendering import RENDERER
from softtissue.audit.edits import track_changes
from softtissue.limits import PARAGRAPH, bounded
from softtissue.reasoning.findings import Value

if TYPE_CHECKING:
    EpisodeModelForm = forms.ModelForm[Episode]
    AssessmentModelForm = forms.ModelForm[Assessment]
    MarkModelForm = forms.ModelForm[BodyChartMark]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    EpisodeModelForm = AssessmentModelForm = MarkModelForm = forms.ModelForm


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


YES_NO = [("", "Not asked"), ("yes", "Yes"), ("no", "No")]
ANGLE_ERRORS = {
    "min_value": "An angle cannot be negative: enter 0 to 360 degrees.",
    "max_value": "An angle cannot be more than 360 degrees.",
    "invalid": "Enter the angle as a whole number of degrees.",
}
INTENSITY_ERRORS = {
    "min_value": "Intensity runs from 0 (none) to 10 (worst imaginable).",
    "max_value": "Intensity runs from 0 (none) to 10 (worst imaginable).",
    "invalid": "Enter the intensity as a whole number from 0 to 10.",
}


@bounded(presenting_problem=PARAGRAPH)
class EpisodeForm(EpisodeModelForm):
    """Open an episode: the presenting problem in the client's words and its body region."""

    region = forms.ChoiceField(label="Body region", choices=[("", "Choose a region")])

    class Meta:
        model = Episode
        fields = ["presenting_problem", "region"]
        widgets = {"presenting_problem": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region").choices = [("", "Choose a region"), *region_choices()]


class ImpressionForm(forms.Form):
    """The working impression the therapist is treating, from the region's conditions."""

    condition = forms.ChoiceField(label="Working impression being treated", required=False)

    def __init__(self, region: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        conditions = sorted(
            (str(entry["name"]), key)
            for key, entry in kb().conditions.items()
            if entry["region"] == region
        )
        choice_field(self, "condition").choices = [
            ("", "Not recorded yet"),
            *((key, name) for name, key in conditions),
        ]


class DischargeForm(forms.Form):
    """Why the episode ends."""

    reason = PARAGRAPH.form_field(label="Reason for discharge", rows=2)


@bounded(
    mechanism=PARAGRAPH,
    aggravating=PARAGRAPH,
    easing=PARAGRAPH,
    pattern_24h=PARAGRAPH,
    general_health=PARAGRAPH,
    goals=PARAGRAPH,
)
class HistoryForm(AssessmentModelForm):
    """The subjective history."""

    # The assessment page renders these forms' 80 fields on every visit: see rendering.py.
    default_renderer = RENDERER

    previous_episodes = forms.NullBooleanField(
        label="Previous episodes",
        required=False,
        widget=forms.NullBooleanSelect,
    )
    symptom_duration_weeks = forms.IntegerField(
        label="Symptom duration (weeks)",
        required=False,
        min_value=0,
        max_value=1040,
        error_messages={
            "min_value": "A duration cannot be negative.",
            "max_value": "Enter a duration of at most 1040 weeks (20 years).",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Colleagues may save the same assessment from pages opened earlier: sections.py saves
        # only what this page changed.
        track_changes(self)

    class Meta:
        model = Assessment
        fields = [
            "onset",
            "mechanism",
            "symptom_duration_weeks",
            "aggravating",
            "easing",
            "pattern_24h",
            "irritability",
            "previous_episodes",
            "general_health",
            "goals",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "mechanism",
                "aggravating",
                "easing",
                "pattern_24h",
                "general_health",
                "goals",
            )
        }


@bounded(observation_notes=PARAGRAPH, palpation_notes=PARAGRAPH)
class NotesForm(AssessmentModelForm):
    """Observation and palpation, in the therapist's words."""

    default_renderer = RENDERER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Colleagues may save the same assessment from pages opened earlier: sections.py saves
        # only what this page changed.
        track_changes(self)

    class Meta:
        model = Assessment
        fields = ["observation_notes", "palpation_notes"]
        widgets = {
            "observation_notes": forms.Textarea(attrs={"rows": 3}),
            "palpation_notes": forms.Textarea(attrs={"rows": 3}),
        }


class FindingsForm(forms.Form):
    """Coded questions, one field per finding code, typed by the finding's type."""

    default_renderer = RENDERER

    def __init__(
        self, codes: Iterable[str], answers: Mapping[str, object], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.codes = tuple(codes)
        for code in self.codes:
            self.fields[code] = _finding_field(code)
            if code in answers:
                self.initial[code] = _initial(answers[code])

    def answers(self) -> dict[str, Value | None]:
        """Cleaned answers: a value, or None for a question left unanswered."""
        result: dict[str, Value | None] = {}
        for code in self.codes:
            value = self.cleaned_data.get(code)
            result[code] = None if value in (None, "") else value
        return result


def _finding_field(code: str) -> forms.Field:
    finding = kb().findings[code]
    if finding.type == "boolean":
        return forms.TypedChoiceField(
            label=finding.question,
            choices=YES_NO,
            required=False,
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
        )
    if finding.type == "number":
        unit = f" ({finding.unit})" if finding.unit else ""
        return forms.FloatField(
            label=f"{finding.question}{unit}",
            required=False,
            min_value=finding.min,
            max_value=finding.max,
        )
    return forms.ChoiceField(
        label=finding.question,
        required=False,
        choices=[("", "Not asked"), *((c, c.replace("_", " ")) for c in finding.choices)],
    )


def _initial(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class MarkForm(MarkModelForm):
    """One body-chart mark; the area must be one the knowledge base names."""

    default_renderer = RENDERER

    area = forms.ChoiceField(label="Area", choices=())
    intensity = forms.IntegerField(
        label="Intensity (0-10)", min_value=0, max_value=10, error_messages=INTENSITY_ERRORS
    )

    class Meta:
        model = BodyChartMark
        fields = ["area", "view", "side", "symptom", "intensity", "depth"]
        labels = {"view": "Figure", "symptom": "Symptom"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = [("", "Choose an area"), *bodychart.area_choices()]
        self.fields["area"].error_messages["invalid_choice"] = (
            "%(value)s is not an area of the body chart: choose one from the list."
        )

    def clean(self) -> dict[str, Any]:
        """The area must be drawn on the chosen figure; limbs need a side."""
        data = super().clean() or {}
        area, view, side = data.get("area"), data.get("view"), data.get("side")
        if area and view and view not in bodychart.views_of(area):
            self.add_error("view", f"The {area} is drawn on the other figure.")
        if area and side == "centre" and not bodychart.is_midline(area):
            self.add_error("side", "Choose left, right or both sides for a limb.")
        return data


class MovementForm(forms.Form):
    """One range-of-motion measurement of a movement of the episode's region."""

    default_renderer = RENDERER

    movement = forms.ChoiceField(label="Movement", choices=())
    side = forms.ChoiceField(
        label="Side", choices=[("", "Choose a side"), *RangeOfMotion.Side.choices]
    )
    degrees = forms.IntegerField(
        label="Degrees", min_value=0, max_value=360, error_messages=ANGLE_ERRORS
    )
    painful = forms.BooleanField(label="Painful", required=False)

    def __init__(self, movements: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "movement").choices = [
            ("", "Choose a movement"),
            *((m["id"], f"{m['label']} (normal {m['normal_degrees']}°)") for m in movements),
        ]
        self.fields["movement"].error_messages["invalid_choice"] = (
            "%(value)s is not a movement of this region: choose one from the list."
        )


def _test_help(entry: Mapping[str, Any]) -> str:
    ratios = []
    if entry.get("lr_positive") is not None:
        ratios.append(f"LR+ {entry['lr_positive']}")
    if entry.get("lr_negative") is not None:
        ratios.append(f"LR- {entry['lr_negative']}")
    accuracy = f" ({', '.join(ratios)}; {', '.join(entry['sources'])})" if ratios else ""
    return f"{entry['target']}{accuracy}. Positive: {entry['positive']}"


class TestsForm(forms.Form):
    """A result for each suggested test, and optionally one more test from any region."""

    default_renderer = RENDERER

    other_test = forms.ChoiceField(label="Another test", required=False, choices=())
    other_result = forms.ChoiceField(
        label="Its result",
        required=False,
        choices=[("", "Choose a result"), *SpecialTestResult.Result.choices],
    )

    def __init__(
        self, test_ids: Iterable[str], results: Mapping[str, str], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.test_fields: dict[str, str] = {}
        for test_id in test_ids:
            entry = kb().special_tests[test_id]
            name = str(entry["finding"])
            self.test_fields[name] = test_id
            self.fields[name] = forms.ChoiceField(
                label=str(entry["name"]),
                choices=SpecialTestResult.Result.choices,
                initial=results.get(test_id, SpecialTestResult.Result.NOT_TESTED),
                widget=forms.RadioSelect,
                help_text=_test_help(entry),
            )
        choice_field(self, "other_test").choices = [("", "None"), *test_choices()]
        self.fields["other_test"].error_messages["invalid_choice"] = (
            "%(value)s is not a special test in the knowledge base: choose one from the list."
        )
        # Fields are shown in the order the tests are listed, with the extra test last.
        self.order_fields([*self.test_fields, "other_test", "other_result"])

    def clean(self) -> dict[str, Any]:
        """Another test needs its result."""
        data = super().clean() or {}
        if data.get("other_test") and not data.get("other_result"):
            self.add_error("other_result", "Choose the result of the other test.")
        return data

    def results(self) -> dict[str, str]:
        """Test id -> result for every test on the form."""
        found = {test_id: self.cleaned_data[name] for name, test_id in self.test_fields.items()}
        if self.cleaned_data.get("other_test"):
            found[self.cleaned_data["other_test"]] = self.cleaned_data["other_result"]
        return found

"""The questionnaire form, built from a measure's definition in the knowledge base."""

from __future__ import annotations

from typing import Any

from django import forms

from softtissue.limits import DayField
from softtissue.reasoning.measures import MeasureDefinition

NOT_ANSWERED = ""


class QuestionnaireForm(forms.Form):
    """One choice per item, in official order, with the item's allowed answer values."""

    def __init__(self, definition: MeasureDefinition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for item in definition.items:
            choices = [(NOT_ANSWERED, "Not answered")]
            choices += [(str(value), str(value)) for value in item.allowed]
            self.fields[f"item_{item.number}"] = forms.ChoiceField(
                label=item.label,
                choices=choices,
                required=False,
                help_text=f"Answer {item.describe_allowed()}",
            )

    def answers(self) -> list[int | None]:
        """The answers in official item order; None where an item was not answered."""
        return [
            None
            if self.cleaned_data[f"item_{item.number}"] == NOT_ANSWERED
            else int(self.cleaned_data[f"item_{item.number}"])
            for item in self.definition.items
        ]


class MeasureChoiceForm(forms.Form):
    """Which measure to give next."""

    measure = forms.ChoiceField(label="Outcome measure")

    def __init__(self, names: dict[str, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        by_name: list[tuple[str, str]] = sorted(names.items(), key=lambda pair: pair[1])
        field.choices = by_name


class ReportForm(forms.Form):
    """The period of the outcomes report."""

    start = DayField(label="From")
    end = DayField(label="To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the period is before its start.")
        return cleaned

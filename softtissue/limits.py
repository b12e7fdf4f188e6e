"""Input limits in one place: how much text each kind of field holds, and which days make sense.

Models, forms and API schemas take their bounds from here, so the three agree. A text limit
bounds characters and lines: line count, not length, is what makes a PDF slow to lay out
(docs/performance.md, "Letters as PDF"). Model-free, so every app may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from pydantic import AfterValidator
from pydantic import Field as SchemaField


@dataclass(frozen=True, slots=True)
class TextLimit:
    """At most max_chars characters on at most max_lines lines."""

    kind: str
    max_chars: int
    max_lines: int

    def problem(self, value: str) -> str | None:
        """What is too long about the text, or None when it fits."""
        if len(value) > self.max_chars:
            return f"Keep this to {self.max_chars:,} characters or fewer (it has {len(value):,})."
        lines = line_count(value)
        if lines > self.max_lines:
            return f"Keep this to {self.max_lines:,} lines or fewer (it has {lines:,})."
        return None

    @property
    def validator(self) -> TextLimitValidator:
        """The validator for a model or form field."""
        return TextLimitValidator(self.kind)

    def form_field(self, *, rows: int = 3, **kwargs: Any) -> forms.CharField:
        """A textarea field with this limit (the browser stops typing at max_chars too)."""
        return forms.CharField(
            max_length=self.max_chars,
            widget=forms.Textarea(attrs={"rows": rows}),
            validators=[self.validator],
            **kwargs,
        )

    def bound(self, field: forms.Field) -> None:
        """Give a form field made from a model field this limit (see `bounded`)."""
        assert isinstance(field, forms.CharField)
        field.max_length = self.max_chars
        field.widget.attrs["maxlength"] = str(self.max_chars)
        if self.validator not in field.validators:
            field.validators.append(self.validator)


F = TypeVar("F", bound=type[forms.BaseForm])


def formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """A model form's field for a model field, with the model field's text limit if any.

    Set as `formfield_callback` in a model form's Meta (subclasses inherit it): a TextField's
    validators would otherwise run only once every field is clean, and the browser would not
    be told the length.
    """
    field: forms.Field | None = db_field.formfield(**kwargs)
    limit = model_limit(db_field.model, db_field.name)
    if field is not None and limit is not None:
        limit.bound(field)
    return field


def bounded(**limits: TextLimit) -> Callable[[F], F]:
    """A form class decorator for fields whose model field does not carry its limit yet."""

    def decorate(form_class: F) -> F:
        for name, limit in limits.items():
            limit.bound(form_class.base_fields[name])  # type: ignore[attr-defined]
        return form_class

    return decorate


def model_limit(model: Any, name: str) -> TextLimit | None:
    """The text limit a model's field carries, if any."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # a form field with no model field of that name
        return None
    for validator in getattr(field, "validators", ()):
        if isinstance(validator, TextLimitValidator):
            return validator.limit
    return None


def line_count(value: str) -> int:
    """Lines as a renderer may break them: every kind of line break counts."""
    return len(value.splitlines())


@deconstructible
class TextLimitValidator:
    """Refuses text over its kind's limit; named by kind, so migrations keep no numbers."""

    def __init__(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown text limit {kind!r}: add it to softtissue.limits.KINDS")
        self.kind = kind

    @property
    def limit(self) -> TextLimit:
        return KINDS[self.kind]

    def __call__(self, value: Any) -> None:
        problem = self.limit.problem(str(value))
        if problem is not None:
            raise ValidationError(problem, code="text_limit")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLimitValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


# [PROJECT] Each limit is several times what a careful clinician writes in that place, and the
# longest letter they allow renders in about a second (docs/performance.md).
ADDRESS = TextLimit("address", max_chars=500, max_lines=10)
PARAGRAPH = TextLimit("paragraph", max_chars=2_000, max_lines=40)
LIST = TextLimit("list", max_chars=3_000, max_lines=50)
SOAP = TextLimit("soap", max_chars=5_000, max_lines=100)
LETTER = TextLimit("letter", max_chars=5_000, max_lines=100)
KINDS: dict[str, TextLimit] = {
    limit.kind: limit for limit in (ADDRESS, PARAGRAPH, LIST, SOAP, LETTER)
}
# A one-line field (a name, a phone number) is a CharField: its max_length is its bound.
MAX_LINE_CHARS = 300


def check_lines(limit: TextLimit) -> Any:
    """A pydantic validator refusing text with more lines than the limit allows."""

    def check(value: str) -> str:
        lines = line_count(value)
        if lines > limit.max_lines:
            raise ValueError(f"at most {limit.max_lines} lines are allowed (it has {lines})")
        return value

    return AfterValidator(check)


def schema_bounds(limit: TextLimit) -> Any:
    """The pydantic constraint of a kind: maxLength (and x-max-lines) in the OpenAPI."""
    return SchemaField(
        max_length=limit.max_chars, json_schema_extra={"x-max-lines": limit.max_lines}
    )


# API body fields, one per kind (a one-line value is `str = Field(max_length=N)`, N the model's).
AddressText = Annotated[str, schema_bounds(ADDRESS), check_lines(ADDRESS)]
ParagraphText = Annotated[str, schema_bounds(PARAGRAPH), check_lines(PARAGRAPH)]
ListText = Annotated[str, schema_bounds(LIST), check_lines(LIST)]
SoapText = Annotated[str, schema_bounds(SOAP), check_lines(SOAP)]
LetterText = Annotated[str, schema_bounds(LETTER), check_lines(LETTER)]


# Days typed into a page (a diary day, a report's period, an audit filter): outside these years
# a date is a typing slip, and near date.min or date.max a day's arithmetic overflows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
DAY_RANGE = "1 January 1900 to 31 December 2199"


class DayField(forms.DateField):
    """A date (YYYY-MM-DD, as a date picker sends it) between EARLIEST_DAY and LATEST_DAY."""

    default_error_messages = {
        "invalid": "That date was not understood: use the date picker or YYYY-MM-DD.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", EARLIEST_DAY.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DAY.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
            raise ValidationError(f"Choose a date from {DAY_RANGE}.", code="out_of_range")


# Row ids as forms receive them: ASCII digits only (int() also reads '²' and '٣'), and within
# the 64-bit range every database's primary keys use.
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """The id of a row, sent by a form: a positive whole number in ASCII digits."""

    default_error_messages = {"invalid": "Send the record's number (digits 0 to 9)."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = "" if value is None else str(value).strip()
        if text and not (text.isascii() and text.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        result = super().to_python(text)
        return None if result is None else int(result)

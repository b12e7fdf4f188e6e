"""What every API operation shares: the one error shape, and the clinic and role checks."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict, model_validator

M = TypeVar("M", bound=Model)


class FieldError(Schema):
    """One problem with one part of the request."""

    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    """Every 4xx answer: what was wrong, and for bad input which fields."""

    detail: str
    errors: list[FieldError] = []


class StrictIn(Schema):
    """Base of every request body: an unknown field is refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def refuse_unstorable_text(self) -> StrictIn:
        """NUL characters and lone surrogates cannot be stored (PostgreSQL refuses them)."""
        for name, value in self:
            if isinstance(value, str) and not storable(value):
                raise ValueError(f"{name} contains a NUL character or an invalid code point")
        return self


def storable(text: str) -> bool:
    """True when the text has no NUL character and no lone surrogate."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


# Far past any real clinic, and below the databases' 64-bit limit on OFFSET.
MAX_OFFSET = 10_000_000


class BoundedPagination(LimitOffsetPagination):
    """limit (1 to NINJA_PAGINATION_MAX_LIMIT) and offset; a bigger limit is refused with 422."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def invalid(form: forms.BaseForm, source: str = "body") -> NoReturn:
    """Answer 422 with the form's errors, each at the field it concerns."""
    errors = [
        {"loc": [source, *([] if field == NON_FIELD_ERRORS else [field])], "msg": msg}
        for field, messages in form.errors.items()
        for msg in messages
    ]
    raise ValidationError(errors)


# Declared on every operation so that the OpenAPI describes every 4xx the API can answer.
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


def require_clinical(request: HttpRequest) -> None:
    """Reception staff do not read clinical data."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_clinical:
        raise HttpError(403, "Your role does not give access to clinical data.")


def require_write(request: HttpRequest) -> None:
    """A read-only API token may not change anything."""
    if getattr(request, "api_token_read_only", False):
        raise HttpError(403, "This API token is read-only.")


def clinic_object(request: HttpRequest, model: type[M] | QuerySet[M], pk: int, **filters: Any) -> M:
    """The clinic's own row, or 404 (another clinic's id is indistinguishable from none)."""
    rows: QuerySet[M] = model if isinstance(model, QuerySet) else model._default_manager.all()
    try:
        return rows.get(pk=pk, clinic=request.clinic, **filters)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        raise Http404(f"No {rows.model._meta.verbose_name} {pk} in your clinic.") from None

"""What every API operation shares: the one error shape, and the clinic and role checks."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


API_PREFIX = "/api/"
DOCS = "the operations are listed at /api/v1/docs"
# Headers of the answer replaced that still say something true of the new one.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def error_response(status: int, detail: str) -> JsonResponse:
    """An ErrorOut answer made outside ninja (an operation answers through api.error)."""
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """404 for a path under /api/ that names no operation (urls.py routes them all here)."""
    return error_response(404, f"No API operation has this path: {DOCS}.")


def allowed_methods(response: HttpResponse) -> list[str]:
    """The methods an Allow header names, in a stable order."""
    return sorted(m.strip() for m in str(response.get("Allow", "")).split(",") if m.strip())


def status_detail(request: HttpRequest, response: HttpResponse) -> str:
    """What a status means for the caller, without anything of the answer it replaces."""
    status = response.status_code
    if status == 404:
        return f"No API operation has this path: {DOCS}."
    if status == 405:
        allowed = allowed_methods(response)
        return (
            f"{request.method} is not allowed on this path: it takes {' or '.join(allowed)}."
            if allowed
            else f"{request.method} is not allowed on this path: {DOCS}."
        )
    if status == 500:
        # The fault is logged (without its values: softtissue/logs.py); nothing of it is shown.
        return (
            "The server could not answer this request; the fault has been logged. Try again, "
            "and tell the clinic's administrator if it keeps happening."
        )
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "The request was refused" if status < 500 else "The server could not answer"
    return f"{phrase}."


class ErrorShapeMiddleware:
    """Every error answer under /api/ in the one error shape, whoever made it.

    The operations answer ErrorOut themselves (softtissue/api.py); this catches the rest: a
    wrong method (ninja answers plain text), a bad Host header or a server error (Django's
    HTML pages), and anything a middleware refuses: it comes before every middleware that
    answers. Refusals made before Django runs (an over-long URL) are gunicorn's: see
    softtissue/gunicorn_errors.py.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or str(response.get("Content-Type", "")).startswith("application/json")
        ):
            return response
        shaped = error_response(response.status_code, status_detail(request, response))
        for name in KEPT_HEADERS:
            if name in response:
                shaped[name] = response[name]
        if response.status_code == 405:
            shaped["Allow"] = ", ".join(allowed_methods(response))
        return shaped


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

"""The REST API at /api/v1/: each app brings its router; one error shape answers every 4xx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from softtissue.assessments.api import router as assessments_router
from softtissue.clients.api import router as clients_router
from softtissue.interop.api import router as interop_router
from softtissue.interop.auth import SessionAuth, TokenAuth
from softtissue.letters.api import router as letters_router
from softtissue.outcomes.api import router as outcomes_router
from softtissue.rehab.api import router as rehab_router
from softtissue.treatments.api import router as treatments_router

# ninja's own words for a body that is not JSON; replaced by one that says what to send.
UNPARSABLE = "Cannot parse request body"

api = NinjaAPI(
    title="softtissue API",
    version="1",
    description="Clinical records for soft tissue therapists. Every operation is scoped to the "
    "caller's clinic; another clinic's records answer 404. Authenticate with the browser "
    "session (unsafe methods need the X-CSRFToken header) or a personal token from the API "
    "tokens page (`Authorization: Bearer st_...`). Every 4xx answer is an ErrorOut.",
    # The token is tried first: a request that sends one is judged by it alone.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def error(
    request: HttpRequest, status: int, detail: str, errors: list[Any] | None = None
) -> HttpResponse:
    """An ErrorOut response."""
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def dotted(loc: Any) -> str:
    """A location such as ('body', 'payload', 'email') as body.payload.email."""
    return ".".join(str(part) for part in loc)


def location(loc: Any) -> list[Any]:
    """Where a problem is, without ninja's name for the body parameter: ['body', 'email']."""
    parts = list(loc)
    if len(parts) > 2 and parts[0] == "body":
        del parts[1]
    return parts


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422: every problem with the field it concerns."""
    errors = [{"loc": location(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
    named = "; ".join(f"{dotted(e['loc'])}: {e['msg']}" for e in errors[:5])
    detail = f"The request was not valid: {named}" if named else "The request was not valid."
    return error(request, 422, detail, errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401: no session, or a token that is not (or no longer) valid."""
    message = exc.message
    if message == "Unauthorized":
        message = "Log in, or send a personal API token as 'Authorization: Bearer st_...'."
    response = error(request, 401, message)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """The status an operation chose, with its message."""
    message = exc.message
    if message == UNPARSABLE:
        message = "The request body is not valid JSON: send a JSON object."
    return error(request, exc.status_code, message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """404: another clinic's record is answered as if it did not exist."""
    return error(request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403."""
    return error(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return error(request, 400, "The request body is too large.")


api.add_router("/", clients_router)
api.add_router("/", assessments_router)
api.add_router("/", outcomes_router)
api.add_router("/", treatments_router)
api.add_router("/", rehab_router)
api.add_router("/", letters_router)
api.add_router("/", interop_router)

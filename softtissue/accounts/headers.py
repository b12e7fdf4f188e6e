"""Response headers Django does not send itself, and the request size limit."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

GetResponse = Callable[[HttpRequest], HttpResponse]


class PermissionsPolicyMiddleware:
    """Switch off browser features (camera, microphone, location...) that no page uses."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def body_limit(request: HttpRequest) -> int:
    """Requests carrying files may be larger than plain form or JSON bodies."""
    if str(request.META.get("CONTENT_TYPE", "")).startswith("multipart/form-data"):
        return int(settings.SOFTTISSUE_MAX_UPLOAD_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def megabytes(size: int) -> str:
    """A size for people: 10 MB, 2.5 MB."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


class RequestSizeMiddleware:
    """Refuse a body over the limit before anything reads it, saying what the limit is."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(raw)
        except ValueError:
            return refuse(request, "The request's Content-Length is not a number.")
        limit = body_limit(request)
        if size > limit:
            return refuse(
                request,
                f"The request is too large ({megabytes(size)}): the limit is {megabytes(limit)}. "
                "Send a smaller file or less text.",
            )
        if request.method == "POST" and body_is_form(request):
            # Parsed here, once, so that a field over DATA_UPLOAD_MAX_MEMORY_SIZE (or too many
            # fields) is explained, instead of failing later inside the CSRF check as a bare 400.
            try:
                request.POST  # noqa: B018
            except RequestDataTooBig:
                return refuse(
                    request,
                    "A form field is too large: the limit for a form's text is "
                    f"{megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}. Nothing was saved.",
                )
            except (TooManyFieldsSent, TooManyFilesSent):
                return refuse(request, "The form has too many fields or files. Nothing was saved.")
        return self.get_response(request)


def body_is_form(request: HttpRequest) -> bool:
    """Bodies Django parses into request.POST."""
    content_type = str(request.META.get("CONTENT_TYPE", ""))
    return content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the API's error shape for the API, and a page for everyone else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": []}, status=400)
    return render(request, "accounts/bad_request.html", {"message": message}, status=400)

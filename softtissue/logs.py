"""Logs that keep health data and secrets out: tracebacks without messages, routes not paths."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from types import TracebackType

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

WITHHELD = "(message withheld: it may hold health data)"


def _frames(tb: TracebackType | None) -> list[str]:
    return [
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}'
        for frame in traceback.extract_tb(tb)
    ]


class RedactingFormatter(logging.Formatter):
    """Exception messages can carry field values (database errors quote them): log types only."""

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        """Each exception of the chain as its frames and its type, without its message."""
        error = ei[1]
        chain: list[BaseException] = []
        while error is not None and error not in chain:
            chain.append(error)
            error = error.__cause__ or error.__context__
        lines: list[str] = []
        for error in reversed(chain):
            lines += ["Traceback (most recent call last):", *_frames(error.__traceback__)]
            lines.append(f"{type(error).__module__}.{type(error).__qualname__}: {WITHHELD}")
        return "\n".join(lines)


# The WSGI environ key gunicorn's access log reads the route from (serve's --access-logformat).
ROUTE_KEY = "softtissue.route"
# "GET /intake/<token>/ HTTP/1.1", as the development server logs a request.
REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+)(?P<rest> .*)?$")


def route_of(path: str) -> str:
    """The URL name a path resolves to (`intake_form`): a client link's path is its secret."""
    if path.startswith(settings.STATIC_URL):
        return "static"
    try:
        return resolve(path.split("?", 1)[0]).view_name
    except Resolver404:
        return "unmatched"


def route_name(request: HttpRequest) -> str:
    """The request's URL name, from its resolved match when the view was reached."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else route_of(request.path_info)


class RouteMiddleware:
    """First of all middleware: leaves the route name in the environ for the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        request.META[ROUTE_KEY] = route_name(request)
        return response


class RoutesNotPaths(logging.Filter):
    """Django quotes the request's path in its request and security logs: name the route instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or not args:
            return True
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            paths = {request.path, request.path_info, request.get_full_path()}
            route = route_name(request)
            record.args = tuple(route if arg in paths else arg for arg in args)
        elif record.name == "django.server" and isinstance(args[0], str):
            line = REQUEST_LINE.match(args[0])
            if line:
                named = f"{line['method']} {route_of(line['path'])}{line['rest'] or ''}"
                record.args = (named, *args[1:])
        return True

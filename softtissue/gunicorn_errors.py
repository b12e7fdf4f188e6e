"""gunicorn's own refusals (a URL or headers past its limits) in the API's error shape.

gunicorn refuses these while it reads the request, before Django or any WSGI middleware sees it,
and its answer is an HTML page. This worker answers them as JSON in the one error shape
(`{"detail", "errors"}`, docs/api.md) with the status gunicorn chose. The path is not known when
the request line itself is too long, so pages get the same JSON answer: no page builds such URLs.
Every other refusal (a request that is not HTTP at all) is left to gunicorn.
"""

from __future__ import annotations

import json
import socket
from typing import Any

# gunicorn ships no type information.
from gunicorn import util  # type: ignore[import-untyped]
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine  # type: ignore[import-untyped]
from gunicorn.workers.sync import SyncWorker  # type: ignore[import-untyped]

# gunicorn's default, passed explicitly by `softtissue serve`. The longest URL a page or an API
# operation makes is a client search of at most 200 characters; raising the limit to gunicorn's
# cap (8190) would let nothing new through, and 0 (no limit) lets a request line fill memory.
REQUEST_LINE_LIMIT = 4094
WORKER_CLASS = f"{__name__}.JsonErrorWorker"


def refusal(exc: BaseException, cfg: Any) -> tuple[int, str, str] | None:
    """Status, reason phrase and detail for a refusal answered here, or None for gunicorn's."""
    if isinstance(exc, LimitRequestLine):
        return (
            414,
            "URI Too Long",
            f"The URL is too long: this server takes at most {cfg.limit_request_line} bytes "
            "for the method, path and query. Send long values in a JSON body instead.",
        )
    if isinstance(exc, LimitRequestHeaders):
        return (
            431,
            "Request Header Fields Too Large",
            f"The request's headers are too large: at most {cfg.limit_request_fields} headers "
            f"of at most {cfg.limit_request_field_size} bytes each.",
        )
    return None


def answer(status: int, reason: str, detail: str) -> bytes:
    """A whole HTTP/1.1 response carrying an ErrorOut, closing the connection."""
    body = json.dumps({"detail": detail, "errors": []}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class JsonErrorWorker(SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker, answering its limit refusals in the API's error shape."""

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: BaseException) -> None:
        refused = refusal(exc, self.cfg)
        if refused is None:
            super().handle_error(req, client, addr, exc)
            return
        # As gunicorn logs it: the limit that was passed, never the request's content.
        self.log.warning("Refused a request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, answer(*refused))
        except OSError:
            self.log.debug("Failed to send the refusal.")

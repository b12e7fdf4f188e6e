"""Rendering HTML to PDF with WeasyPrint, bounded in time (docs/performance.md, "Letters as PDF").

Model-free, so every app that prints (letters, the home programme, the subject access summary)
uses the same bound.
"""

from __future__ import annotations

import os
import select
import signal
import time

# A clear refusal well before gunicorn kills a worker that has not answered for 30 seconds.
PDF_SECONDS = 20.0
_warmed = False


class PdfTooSlow(Exception):
    """Laying out the PDF took longer than its time bound; nothing was kept."""


def pdf_bytes(html: str, seconds: float | None = None) -> bytes:
    """Render HTML to PDF in a child process stopped after `seconds` (PdfTooSlow)."""
    seconds = PDF_SECONDS if seconds is None else seconds
    # Imported here: WeasyPrint takes over half a second to import, and every worker would
    # otherwise pay for it on its first request, letter or not.
    from weasyprint import HTML  # type: ignore[import-untyped]

    global _warmed
    if not _warmed:
        # Fonts are found once in this process, so that each forked child starts warm.
        HTML(string="<p></p>", base_url=None).write_pdf()
        _warmed = True
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child; its result comes back through the pipe
        os.close(read_end)
        code = 0
        try:
            result = HTML(string=html, base_url=None).write_pdf()
            with os.fdopen(write_end, "wb") as out:
                out.write(result)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    pdf: bytes | None = None
    try:
        pdf = read_until(read_end, time.monotonic() + seconds)
    finally:
        os.close(read_end)
        if pdf is None:
            os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    if pdf is None:
        raise PdfTooSlow(
            f"The PDF took longer than {seconds:g} seconds to lay out and was not kept: "
            "shorten the longest sections, or try again when the server is less busy."
        )
    if os.waitstatus_to_exitcode(status) != 0 or not pdf.startswith(b"%PDF"):
        raise RuntimeError("the PDF renderer failed")
    return pdf


def read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes before it closes the pipe, or None at the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)

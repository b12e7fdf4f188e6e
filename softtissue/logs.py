"""Log formatting that keeps health data out: tracebacks keep their frames, not their messages."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

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

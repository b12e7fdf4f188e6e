"""CSV that a spreadsheet opens safely: every field quoted, and no cell it would run as a formula.

A cell starting with = + - @ (or a tab or carriage return) is run as a formula by spreadsheets
(OWASP, "CSV Injection"). Quoting every field keeps a ',' or a line break inside its cell. Where
the decimal mark is a comma, spreadsheets split at ';' instead, even inside a quoted field, so a
cell can also start after a ';' (or a line break) inside our text: each such start is guarded.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Protocol

# Where a spreadsheet may start a cell inside a field: at its start, and after a ';' or a line
# break; then any spaces or quotes, then a formula's first character (or a tab or CR at once).
CELL_START = re.compile(r"(^|[;\r\n])(?=[ \t\"]*[=+\-@]|[\t\r])")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: object) -> str:
    """The text of one cell, with an apostrophe before every place a formula could start.

    Numbers we computed stay numbers (a negative one is not a formula); text typed by people,
    a browser's name or a reason, is guarded.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return CELL_START.sub(r"\1'", str(value))


class SafeWriter:
    """csv.writer with every field quoted and guarded: the one way the project writes CSV."""

    def __init__(self, file: Writable) -> None:
        self.writer = csv.writer(file, quoting=csv.QUOTE_ALL)

    def writerow(self, values: Iterable[object]) -> Any:
        """Write one row; returns what the file's write returned (the line, for Echo)."""
        return self.writer.writerow([csv_cell(value) for value in values])


class Echo:
    """A file whose write returns the line, for streaming a CSV one row at a time."""

    def write(self, text: str, /) -> str:
        return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header and each row as CSV lines, for a StreamingHttpResponse."""
    writer = SafeWriter(Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)

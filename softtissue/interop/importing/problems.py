"""What can be wrong with an import file, said so a receptionist can fix it."""

from __future__ import annotations

from dataclasses import dataclass


class FileProblem(Exception):
    """The file as a whole cannot be imported (encoding, no header, no rows, unreadable)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        # A usage problem (a missing file) is the command's fault, not the file's content.
        self.usage = usage


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one row (and column, when there is one)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

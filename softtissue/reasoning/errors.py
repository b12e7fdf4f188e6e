"""Errors the reasoning core raises; each names where the problem is."""

from __future__ import annotations


class KnowledgeError(Exception):
    """The knowledge base is invalid: names the file and, where known, the entry id."""

    def __init__(self, file: str, entry_id: str | None, problem: str) -> None:
        self.file = file
        self.entry_id = entry_id
        self.problem = problem
        where = f"{file}: {entry_id}" if entry_id else file
        super().__init__(f"{where}: {problem}")


class CaseError(Exception):
    """A case file or answer set is invalid: names the file, the key and what was expected."""

    def __init__(self, file: str, key: str | None, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")

"""Reading knowledge YAML files and checking entries' keys against the schema."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.findings import is_number
from softtissue.reasoning.schema import FieldSpec

# The C loader is several times faster; the pure-Python one is the fallback where libyaml is absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Entry = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PendingRef:
    """An id named by an entry, resolved once every file is read."""

    file: str
    entry_id: str | None
    path: str
    prefixes: tuple[str, ...]
    value: object


@dataclass(slots=True)
class Problems:
    """Everything wrong found so far, plus references still to resolve."""

    errors: list[KnowledgeError] = field(default_factory=list)
    refs: list[PendingRef] = field(default_factory=list)
    sources: list[PendingRef] = field(default_factory=list)

    def add(self, file: str, entry_id: str | None, problem: str) -> None:
        """Record one problem."""
        self.errors.append(KnowledgeError(file, entry_id, problem))


def parse_yaml(text: str) -> object:
    """Parse YAML text into plain types only."""
    # The loader is a SafeLoader (C or Python): it builds only plain YAML types.
    return yaml.load(text, Loader=_Loader)  # noqa: S506


def read_yaml(path: Path, relative: str, problems: Problems) -> object:
    """Parse a YAML file; a syntax error names the file and the line."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        problems.add(relative, None, f"malformed YAML{line}: {problem}")
        return None


def read_entries(path: Path, relative: str, problems: Problems) -> list[Entry]:
    """The file's list of mappings; anything else is a problem."""
    data = read_yaml(path, relative, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(relative, None, "expected a list of entries")
        return []
    entries: list[Entry] = []
    for index, item in enumerate(data):
        if isinstance(item, Mapping):
            entries.append(item)
        else:
            problems.add(relative, None, f"entry {index + 1} is not a mapping")
    return entries


def check_fields(
    value: Entry,
    spec: Mapping[str, FieldSpec],
    file: str,
    entry_id: str | None,
    problems: Problems,
    path: str = "",
) -> None:
    """Check keys (unknown, missing) and each value's type; queue ids and sources to resolve."""
    known = {key.rstrip("?"): key.endswith("?") for key in spec}
    for key in value:
        if key not in known:
            problems.add(file, entry_id, f"unknown key {path}{key}")
    for key, optional in known.items():
        if key not in value:
            if not optional:
                problems.add(file, entry_id, f"missing key {path}{key}")
            continue
        item_spec = spec[f"{key}?" if optional else key]
        check_value(value[key], item_spec, file, entry_id, problems, f"{path}{key}")


def check_value(
    value: object, spec: FieldSpec, file: str, entry_id: str | None, problems: Problems, path: str
) -> None:
    """Check one value against its spec."""
    if isinstance(spec, dict):
        if isinstance(value, Mapping):
            check_fields(value, spec, file, entry_id, problems, f"{path}.")
        else:
            problems.add(file, entry_id, f"{path}: expected a mapping")
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            problems.add(file, entry_id, f"{path}: expected a list")
            return
        for index, item in enumerate(value):
            check_value(item, spec[0], file, entry_id, problems, f"{path}[{index}]")
        return
    code = spec.removesuffix("|null")
    if value is None and code != spec:
        return
    problem = _scalar_problem(value, code, file, entry_id, problems, path)
    if problem is not None:
        problems.add(file, entry_id, f"{path}: {problem}, got {value!r}")


def _scalar_problem(
    value: object, code: str, file: str, entry_id: str | None, problems: Problems, path: str
) -> str | None:
    kind, _, arg = code.partition(":")
    if kind in ("custom", "map"):
        return None if kind == "custom" or isinstance(value, Mapping) else "expected a mapping"
    if kind == "text":
        return None if isinstance(value, str) and value.strip() else "expected text"
    if kind == "date":
        if isinstance(value, datetime.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
            return None
        return "expected an ISO date such as 2026-11-27"
    if kind == "int":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else "expected an integer"
        )
    if kind == "bool":
        return None if isinstance(value, bool) else "expected true or false"
    if kind == "enum":
        return None if value in arg.split("|") else f"expected one of {arg.replace('|', ', ')}"
    if kind in ("number", "prob", "lr"):
        return _number_problem(value, kind)
    if kind == "list":
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        return None if ok else "expected a list of text"
    if kind == "sources":
        if not isinstance(value, list) or not value:
            return "expected a non-empty list of source keys"
        problems.sources.extend(PendingRef(file, entry_id, path, (), key) for key in value)
        return None
    prefixes = tuple(arg.split("|"))
    if kind == "ref":
        problems.refs.append(PendingRef(file, entry_id, path, prefixes, value))
        return None
    if not isinstance(value, list):
        return "expected a list of ids"
    problems.refs.extend(PendingRef(file, entry_id, path, prefixes, item) for item in value)
    return None


def _number_problem(value: object, kind: str) -> str | None:
    if not is_number(value):
        return "expected a number"
    assert isinstance(value, int | float)
    if kind == "prob" and not 0 <= value <= 1:
        return "expected a proportion from 0 to 1"
    if kind == "lr" and value <= 0:
        return "expected a likelihood ratio above 0"
    return None

"""Read and validate knowledge/measures/*.yaml into MeasureDefinition objects."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import yaml

from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.measures.model import (
    Band,
    Direction,
    Item,
    ItemSense,
    Licence,
    MeasureDefinition,
    Subscale,
    Threshold,
)

TOP_KEYS = {
    "id",
    "name",
    "description",
    "direction",
    "range",
    "units",
    "items",
    "min_items",
    "scoring",
    "missing",
    "subscales",
    "bands",
    "mcid",
    "mdc",
    "licence",
    "choices",
    "sources",
    "reviewed",
}
REQUIRED_TOP = TOP_KEYS - {"min_items", "subscales", "bands", "mcid", "mdc", "choices"}
ITEM_KEYS = {
    "number",
    "code",
    "label",
    "min",
    "max",
    "values",
    "meaning",
    "higher_means",
    "reverse",
}
SUBSCALE_KEYS = {"name", "label", "items", "min_answered", "range"}
BAND_KEYS = {"label", "upper", "rule"}
THRESHOLD_KEYS = {"value", "units", "criterion", "source", "relative_percent", "note"}
LICENCE_KEYS = {"name", "holder", "reproduce_items", "note"}
CHOICE_KEYS = {"topic", "chose", "why"}


class _Reader:
    """Validates one file, raising KnowledgeError that names the file and the measure."""

    def __init__(self, file: str, entry_id: str | None) -> None:
        self.file = file
        self.entry_id = entry_id

    def fail(self, problem: str) -> KnowledgeError:
        return KnowledgeError(self.file, self.entry_id, problem)

    def mapping(self, value: object, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} must be a mapping")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{where}: unknown key(s) {', '.join(unknown)}")
        return cast(dict[str, Any], value)

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}: '{key}' must be non-empty text")
        return value

    def number(self, data: Mapping[str, Any], key: str, where: str) -> float:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{where}: '{key}' must be a number")
        return float(value)

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{where}: '{key}' must be a whole number")
        return value

    def span(self, value: object, where: str) -> tuple[float, float]:
        data = self.mapping(value, where, {"min", "max"})
        low, high = self.number(data, "min", where), self.number(data, "max", where)
        if low >= high:
            raise self.fail(f"{where}: min must be below max")
        return low, high


def load_measures(directory: Path) -> dict[str, MeasureDefinition]:
    """Every measure in the directory, keyed by its short id (`odi`)."""
    measures: dict[str, MeasureDefinition] = {}
    for path in sorted(directory.glob("*.yaml")):
        definition = _load_file(path)
        measures[definition.key] = definition
    if not measures:
        raise KnowledgeError(str(directory), None, "no measure files found")
    return measures


# LibYAML's safe loader when installed (several times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_file(path: Path) -> MeasureDefinition:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe loader
    except yaml.YAMLError as error:
        raise KnowledgeError(str(path), None, f"not valid YAML: {error}") from error
    entry_id = raw.get("id") if isinstance(raw, dict) else None
    reader = _Reader(str(path), entry_id if isinstance(entry_id, str) else None)
    data = reader.mapping(raw, "measure", TOP_KEYS)
    missing = sorted(REQUIRED_TOP - set(data))
    if missing:
        raise reader.fail(f"missing key(s) {', '.join(missing)}")
    key = path.stem
    if data["id"] != f"measure.{key}":
        raise reader.fail(f"id must be measure.{key} to match the file name")
    return _definition(reader, key, data)


def _definition(reader: _Reader, key: str, data: dict[str, Any]) -> MeasureDefinition:
    direction = data["direction"]
    if direction not in ("higher_is_worse", "higher_is_better"):
        raise reader.fail("direction must be higher_is_worse or higher_is_better")
    range_min, range_max = reader.span(data["range"], "range")
    items = _items(reader, data["items"])
    min_items = data.get("min_items", len(items))
    if isinstance(min_items, bool) or not isinstance(min_items, int):
        raise reader.fail("min_items must be a whole number")
    missing = reader.mapping(data["missing"], "missing", {"rule", "min_answered"})
    min_answered = reader.integer(missing, "min_answered", "missing")
    if not 1 <= min_answered <= len(items) or not 1 <= min_items <= len(items):
        raise reader.fail("min_answered and min_items must lie between 1 and the item count")
    sources = data["sources"]
    if not isinstance(sources, list) or not sources:
        raise reader.fail("sources must be a non-empty list")
    reviewed = data["reviewed"]
    if not isinstance(reviewed, datetime.date):
        raise reader.fail("reviewed must be an ISO date")
    licence = reader.mapping(data["licence"], "licence", LICENCE_KEYS)
    if not isinstance(licence.get("reproduce_items"), bool):
        raise reader.fail("licence: 'reproduce_items' must be true or false")
    return MeasureDefinition(
        key=key,
        id=data["id"],
        name=reader.text(data, "name", "measure"),
        description=reader.text(data, "description", "measure"),
        items=items,
        min_items=min_items,
        direction=cast(Direction, direction),
        range_min=range_min,
        range_max=range_max,
        scoring=reader.text(data, "scoring", "measure"),
        missing_rule=reader.text(missing, "rule", "missing"),
        min_answered=min_answered,
        subscales=_subscales(reader, data.get("subscales") or [], len(items)),
        bands=_bands(reader, data.get("bands") or []),
        mcid=_threshold(reader, data.get("mcid"), "mcid", sources),
        mdc=_threshold(reader, data.get("mdc"), "mdc", sources),
        licence=Licence(
            name=reader.text(licence, "name", "licence"),
            holder=reader.text(licence, "holder", "licence"),
            reproduce_items=licence["reproduce_items"],
        ),
        choices=_choices(reader, data.get("choices") or []),
        sources=tuple(str(source) for source in sources),
        reviewed=reviewed.isoformat(),
        file=reader.file,
    )


def _items(reader: _Reader, raw: object) -> tuple[Item, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail("items must be a non-empty list")
    items = []
    for position, entry in enumerate(raw, start=1):
        where = f"items[{position}]"
        data = reader.mapping(entry, where, ITEM_KEYS)
        if reader.integer(data, "number", where) != position:
            raise reader.fail(f"{where}: items must be numbered 1, 2, 3 ... in answer order")
        if "values" in data:
            values = data["values"]
            if not isinstance(values, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in values
            ):
                raise reader.fail(f"{where}: values must be a list of whole numbers")
            allowed = tuple(sorted(set(values)))
        else:
            low, high = reader.integer(data, "min", where), reader.integer(data, "max", where)
            allowed = tuple(range(low, high + 1))
        if len(allowed) < 2:
            raise reader.fail(f"{where}: an item needs at least two allowed values")
        sense = data.get("higher_means")
        if sense not in ("worse", "better"):
            raise reader.fail(f"{where}: higher_means must be worse or better")
        items.append(
            Item(
                number=position,
                code=str(data.get("code", position)),
                label=reader.text(data, "label", where),
                allowed=allowed,
                higher_means=cast(ItemSense, sense),
                reverse=bool(data.get("reverse", False)),
            )
        )
    return tuple(items)


def _subscales(reader: _Reader, raw: object, item_count: int) -> tuple[Subscale, ...]:
    if not isinstance(raw, list):
        raise reader.fail("subscales must be a list")
    subscales = []
    for entry in raw:
        data = reader.mapping(entry, "subscale", SUBSCALE_KEYS)
        name = reader.text(data, "name", "subscale")
        numbers = data.get("items")
        if not isinstance(numbers, list) or not all(
            isinstance(n, int) and 1 <= n <= item_count for n in numbers
        ):
            raise reader.fail(f"subscale {name}: items must be item numbers 1 to {item_count}")
        min_answered = reader.integer(data, "min_answered", f"subscale {name}")
        if not 1 <= min_answered <= len(numbers):
            raise reader.fail(f"subscale {name}: min_answered must be 1 to its item count")
        low, high = reader.span(data.get("range"), f"subscale {name}: range")
        label = reader.text(data, "label", name)
        subscales.append(Subscale(name, label, tuple(numbers), min_answered, low, high))
    return tuple(subscales)


def _bands(reader: _Reader, raw: object) -> tuple[Band, ...]:
    if not isinstance(raw, list):
        raise reader.fail("bands must be a list")
    bands = []
    previous = float("-inf")
    for index, entry in enumerate(raw):
        data = reader.mapping(entry, "band", BAND_KEYS)
        upper = data.get("upper")
        if upper is None and index != len(raw) - 1 and "rule" not in data:
            raise reader.fail("only the last band may leave out its upper edge")
        if upper is not None:
            upper = reader.number(data, "upper", "band")
            if upper <= previous:
                raise reader.fail("band upper edges must rise")
            previous = upper
        bands.append(Band(reader.text(data, "label", "band"), upper))
    return tuple(bands)


def _threshold(reader: _Reader, raw: object, where: str, sources: list[Any]) -> Threshold | None:
    if raw is None:
        return None
    data = reader.mapping(raw, where, THRESHOLD_KEYS)
    source = reader.text(data, "source", where)
    if source not in sources:
        raise reader.fail(f"{where}: source {source} is not listed in the measure's sources")
    relative = None
    if data.get("relative_percent") is not None:
        relative = reader.number(data, "relative_percent", where)
    return Threshold(
        value=reader.number(data, "value", where),
        units=reader.text(data, "units", where),
        criterion=reader.text(data, "criterion", where),
        source=source,
        relative_percent=relative,
    )


def _choices(reader: _Reader, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise reader.fail("choices must be a list")
    choices = []
    for entry in raw:
        data = reader.mapping(entry, "choice", CHOICE_KEYS)
        topic = reader.text(data, "topic", "choice")
        chose = reader.text(data, "chose", "choice")
        why = reader.text(data, "why", "choice")
        choices.append(f"{topic}: {chose} ({why})")
    return tuple(choices)

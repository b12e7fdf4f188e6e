"""The measure loader refuses a bad file and names it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import softtissue
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.measures import load_measures

MEASURES_DIR = Path(softtissue.__file__).parent / "knowledge" / "measures"


def spadi() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((MEASURES_DIR / "spadi.yaml").read_text(encoding="utf-8"))
    return data


def write(directory: Path, data: object, name: str = "spadi") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def mutate(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = spadi()
    change(data)
    return data


def test_it_loads_a_valid_copy(tmp_path):
    write(tmp_path, spadi())
    definition = load_measures(tmp_path)["spadi"]
    assert definition.id == "measure.spadi"
    assert definition.reviewed == "2026-11-27"
    assert definition.file.endswith("spadi.yaml")
    assert [sub.name for sub in definition.subscales] == ["pain", "disability"]
    assert any("Total score" in choice for choice in definition.choices)


def test_it_describes_allowed_values():
    kb = load_measures(MEASURES_DIR)
    assert kb["odi"].items[0].describe_allowed() == "0 to 5"
    assert kb["visa_a"].items[6].describe_allowed() == "0, 4, 7, 10"
    assert kb["start_back"].items[0].describe_allowed() == "0, 1"


def _set(key: str, value: object):
    return lambda data: data.__setitem__(key, value)


def _item(index: int, key: str, value: object):
    return lambda data: data["items"][index].__setitem__(key, value)


def _drop_item_key(index: int, key: str):
    return lambda data: data["items"][index].pop(key)


def _sub(index: int, key: str, value: object):
    return lambda data: data["subscales"][index].__setitem__(key, value)


def _mcid(key: str, value: object):
    return lambda data: data["mcid"].__setitem__(key, value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set("colour", "blue"), "unknown key(s) colour"),
        (lambda data: data.pop("scoring"), "missing key(s) scoring"),
        (_set("id", "measure.other"), "id must be measure.spadi"),
        (_set("direction", "up"), "direction must be"),
        (_set("range", {"min": 10, "max": 0}), "min must be below max"),
        (_set("range", [0, 100]), "range must be a mapping"),
        (_set("range", {"min": "0", "max": 100}), "'min' must be a number"),
        (_set("items", []), "items must be a non-empty list"),
        (_item(1, "number", 5), "numbered 1, 2, 3"),
        (_item(1, "number", "2"), "'number' must be a whole number"),
        (_item(0, "values", [0, "x"]), "values must be a list of whole numbers"),
        (_item(0, "max", 0), "at least two allowed values"),
        (_item(0, "higher_means", "sideways"), "higher_means must be worse or better"),
        (_item(0, "label", ""), "'label' must be non-empty text"),
        (_item(0, "shade", 1), "unknown key(s) shade"),
        (_set("min_items", True), "min_items must be a whole number"),
        (_set("min_items", 20), "must lie between 1 and the item count"),
        (_set("missing", {"rule": "x", "min_answered": 0}), "must lie between 1"),
        (_set("sources", []), "sources must be a non-empty list"),
        (_set("reviewed", "soon"), "reviewed must be an ISO date"),
        (_set("licence", {"name": "x", "holder": "y", "reproduce_items": "no"}), "reproduce_items"),
        (_set("subscales", {"pain": [1]}), "subscales must be a list"),
        (_sub(0, "items", [1, 99]), "items must be item numbers 1 to 13"),
        (_sub(0, "min_answered", 9), "min_answered must be 1 to its item count"),
        (_set("bands", "none"), "bands must be a list"),
        (_set("bands", [{"label": "a"}, {"label": "b", "upper": 5}]), "only the last band"),
        (_set("bands", [{"label": "a", "upper": 5}, {"label": "b", "upper": 5}]), "must rise"),
        (_mcid("source", "someone-else"), "not listed in the measure's sources"),
        (_mcid("relative_percent", "thirty"), "'relative_percent' must be a number"),
        (_set("choices", "none"), "choices must be a list"),
        (_set("choices", [{"topic": "x", "chose": "y"}]), "'why' must be non-empty text"),
    ],
)
def test_it_refuses_a_bad_measure_file(tmp_path, change, problem):
    path = write(tmp_path, mutate(change))
    with pytest.raises(KnowledgeError) as raised:
        load_measures(tmp_path)
    assert problem in str(raised.value)
    assert str(path) in str(raised.value)


def test_it_accepts_explicit_values_and_a_relative_mcid(tmp_path):
    data = spadi()
    data["items"][0] = {**data["items"][0], "values": [0, 5, 10]}
    del data["items"][0]["min"], data["items"][0]["max"]
    data["mcid"]["relative_percent"] = 30
    write(tmp_path, data)
    definition = load_measures(tmp_path)["spadi"]
    assert definition.items[0].allowed == (0, 5, 10)
    assert definition.mcid is not None
    assert definition.mcid.relative_percent == 30.0


def test_it_refuses_invalid_yaml(tmp_path):
    (tmp_path / "odi.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="not valid YAML"):
        load_measures(tmp_path)


def test_it_refuses_a_list_instead_of_a_mapping(tmp_path):
    write(tmp_path, [copy.deepcopy(spadi())])
    with pytest.raises(KnowledgeError, match="measure must be a mapping"):
        load_measures(tmp_path)


def test_it_refuses_an_empty_directory(tmp_path):
    with pytest.raises(KnowledgeError, match="no measure files found"):
        load_measures(tmp_path)


def known_source_keys() -> set[str]:
    keys = set()
    for path in (MEASURES_DIR.parent / "sources").glob("*.yaml"):
        keys |= {entry["key"] for entry in yaml.safe_load(path.read_text(encoding="utf-8"))}
    return keys


def test_it_cites_only_known_sources():
    known = known_source_keys()
    for key, definition in load_measures(MEASURES_DIR).items():
        cited = set(definition.sources)
        for threshold in (definition.mcid, definition.mdc):
            if threshold is not None:
                cited.add(threshold.source)
        assert cited <= known, f"{key}: unknown sources {sorted(cited - known)}"
        assert definition.reviewed == "2026-11-27"


def test_it_records_a_choice_wherever_project_choice_is_cited():
    for key, definition in load_measures(MEASURES_DIR).items():
        if "project-choice" in definition.sources:
            assert definition.choices, key

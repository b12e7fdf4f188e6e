"""Loading: the default directory, the cache, the fixture's contents and the measures hook."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace

import pytest

from softtissue.reasoning import knowledge
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.knowledge import Knowledge, build_knowledge, load_knowledge
from tests.reasoning.conftest import FIXTURE_KB


def test_it_indexes_entries_by_id(kb: Knowledge) -> None:
    assert set(kb.regions) == {"region.elbow", "region.knee"}
    assert set(kb.cpd) == {"cpd.taping"}
    assert set(kb.qualifications) == {"qualification.smt-l3", "qualification.smt-l4"}
    assert kb.files["technique.cupping"] == "techniques.yaml"
    assert kb.conditions_by_region["region.elbow"] == (
        "condition.lateral-elbow-tendinopathy",
        "condition.medial-elbow-tendinopathy",
    )
    assert kb.cases["case.saddle"].expect is not None


def test_it_resolves_inherited_scope(kb: Knowledge) -> None:
    l4 = kb.scopes["qualification.smt-l4"]
    assert l4.techniques["technique.effleurage"] == "allow"
    assert l4.techniques["technique.soft-tissue-release"] == "allow"
    assert l4.conditions["category.maintenance"] == "allow"
    assert kb.scopes["qualification.smt-l3"].techniques["technique.soft-tissue-release"] == "block"


def test_it_loads_the_default_directory_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "DEFAULT_DIRECTORY", FIXTURE_KB)
    knowledge.default_knowledge.cache_clear()
    try:
        first = knowledge.default_knowledge()
        assert first is knowledge.default_knowledge()
        assert first.directory == FIXTURE_KB
    finally:
        knowledge.default_knowledge.cache_clear()


def test_it_points_at_the_package_knowledge() -> None:
    assert Path(knowledge.__file__).parent.parent / "knowledge" == knowledge.DEFAULT_DIRECTORY


def fake_import(error_name: str | None, module: object = None) -> object:
    def import_module(name: str) -> object:
        if error_name is not None:
            raise ModuleNotFoundError(f"No module named {error_name!r}", name=error_name)
        return module

    return import_module


def test_it_copes_without_the_measures_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib, "import_module", fake_import("softtissue.reasoning.measures"))
    assert knowledge.measures_loader() is None


def test_it_does_not_hide_other_missing_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib, "import_module", fake_import("numpy"))
    with pytest.raises(ModuleNotFoundError):
        knowledge.measures_loader()


def test_it_finds_the_measures_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(directory: Path) -> Mapping[str, object]:
        return {}

    monkeypatch.setattr(
        importlib, "import_module", fake_import(None, SimpleNamespace(load_measures=load))
    )
    assert knowledge.measures_loader() is load


def test_it_loads_measures_when_the_directory_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "measures").mkdir()
    seen: list[Path] = []

    def load(directory: Path) -> Mapping[str, object]:
        seen.append(directory)
        return {"odi": object()}

    monkeypatch.setattr(knowledge, "measures_loader", lambda: load)
    kb, problems = build_knowledge(tmp_path)
    assert (list(kb.measures), seen, problems) == (["odi"], [tmp_path / "measures"], [])


def test_it_reports_measures_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "measures").mkdir()

    def load(directory: Path) -> Mapping[str, object]:
        raise KnowledgeError("measures/odi.yaml", "odi", "items: expected 10")

    monkeypatch.setattr(knowledge, "measures_loader", lambda: load)
    with pytest.raises(KnowledgeError, match=r"measures/odi\.yaml: odi: items: expected 10"):
        load_knowledge(tmp_path)


def test_it_skips_measures_without_a_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "measures").mkdir()
    monkeypatch.setattr(knowledge, "measures_loader", lambda: None)
    assert load_knowledge(tmp_path).measures == {}

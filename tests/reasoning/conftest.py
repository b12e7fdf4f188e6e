"""Fixtures for the reasoning core: a small knowledge base that exercises every branch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from softtissue.reasoning.knowledge import Knowledge, load_knowledge

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge(FIXTURE_KB)


def mutated_kb(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the fixture knowledge with `old` replaced by `new` in one file (or appended)."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    path = target / file
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if old:
        assert old in text, f"{old!r} is not in {file}"
        text = text.replace(old, new, 1)
    else:
        text += new
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return target

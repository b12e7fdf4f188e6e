"""docs/measures.md stays honest: every measure has its own section."""

from __future__ import annotations

from pathlib import Path

import softtissue
from softtissue.reasoning.measures import load_measures

ROOT = Path(softtissue.__file__).parent
DOC = ROOT.parent / "docs" / "measures.md"


def test_it_documents_every_measure():
    headings = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line[:4] == "### "]
    documented = {
        name.strip(" ,") for heading in headings for name in heading[4:].split(":")[0].split(",")
    }
    assert set(load_measures(ROOT / "knowledge" / "measures")) <= documented

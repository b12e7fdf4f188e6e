"""docs/reasoning.md's urgency table is the knowledge's bands, and every rule keeps to its band."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from softtissue.reasoning.knowledge import DEFAULT_DIRECTORY, build_knowledge
from softtissue.reasoning.triage import URGENCY_ORDER

KB, _ = build_knowledge(DEFAULT_DIRECTORY)
DOC = Path(__file__).resolve().parents[2] / "docs" / "reasoning.md"


def table_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- urgency-table -->\n(.*?)<!-- /urgency-table -->", text, re.S)
    assert match, "docs/reasoning.md has lost its urgency table markers"
    lines = [line for line in match.group(1).splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in lines]


def test_it_documents_every_band_in_order_from_routine_to_emergency() -> None:
    assert [row[0] for row in table_rows()] == list(URGENCY_ORDER[1:])


@pytest.mark.parametrize("row", table_rows(), ids=lambda row: row[0])
def test_it_documents_each_band_as_the_knowledge_defines_it(row: list[str]) -> None:
    band = KB.urgencies[row[0]]
    stops = "yes" if band["stops_treatment"] else "no"
    assert row[1:] == [band["label"], band["how_soon"], band["where"], stops]


@pytest.mark.parametrize("flag_id", sorted(KB.red_flags))
def test_it_words_each_referral_as_its_band(flag_id: str) -> None:
    entry = KB.red_flags[flag_id]
    band = KB.urgencies[entry["urgency"]]
    referral = entry["referral"].lower()
    assert any(phrase.lower() in referral for phrase in band["says"])
    for phrase in band["never_says"]:
        assert phrase.lower() not in (entry["message"] + " " + entry["referral"]).lower()


def test_it_stops_treatment_from_soon_upwards() -> None:
    stopping = [band for band in URGENCY_ORDER[1:] if KB.urgencies[band]["stops_treatment"]]
    assert stopping == ["refer_soon", "refer_urgent", "refer_emergency"]

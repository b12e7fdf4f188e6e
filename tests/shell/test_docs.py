"""The docs stay honest: every setting and command is documented where people look for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SETTINGS = (ROOT / "softtissue" / "settings.py").read_text()
COMMANDS = sorted(
    path.stem
    for path in ROOT.glob("softtissue/**/management/commands/*.py")
    if not path.stem.startswith("_")
)


@pytest.mark.parametrize("variable", sorted(set(re.findall(r'"(SOFTTISSUE_[A-Z_]+)"', SETTINGS))))
def test_it_documents_every_setting(variable: str) -> None:
    assert f"`{variable}`" in README, f"{variable} is read by settings.py but not in README.md"


@pytest.mark.parametrize("command", COMMANDS)
def test_it_documents_every_command(command: str) -> None:
    assert f"`softtissue {command}" in README, f"softtissue {command} is missing from README.md"


def test_it_keeps_the_quick_start_to_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"```sh\n(.+?)\n```", quick_start, flags=re.S) == [
        "./scripts/demo",
        "./scripts/test",
    ]

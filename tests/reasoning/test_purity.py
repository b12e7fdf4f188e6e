"""The core stays pure: no Django, no clock, no randomness, no network."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import softtissue.reasoning

PACKAGE = Path(softtissue.reasoning.__file__).parent
MODULES = sorted(
    m.name for m in pkgutil.walk_packages([str(PACKAGE)], prefix="softtissue.reasoning.")
)
FORBIDDEN = re.compile(r"datetime\.now|date\.today|\brandom\b|\bsocket\b|\btime\.time\b")


def test_it_imports_no_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_it_uses_no_clock_randomness_or_network(path: Path) -> None:
    assert FORBIDDEN.findall(path.read_text(encoding="utf-8")) == []

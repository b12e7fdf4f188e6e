"""Fixtures for query-count tests: synthetic clinics from bench/synthetic.py."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="session")
def synthetic() -> ModuleType:
    """bench/synthetic.py, which is a script rather than part of the package."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("synthetic")

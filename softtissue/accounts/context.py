"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, Any]:
    """The current clinic and membership, for the navigation bar."""
    return {
        "clinic": getattr(request, "clinic", None),
        "membership": getattr(request, "membership", None),
    }

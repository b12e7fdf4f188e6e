"""Django's flush, able to empty the append-only audit table (used between browser tests)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS

from softtissue.audit.guard import unlocked


class Command(DjangoFlush):
    """Empty every table, the audit trail included: the whole database goes, not one event."""

    def handle(self, **options: Any) -> None:
        with unlocked(options.get("database") or DEFAULT_DB_ALIAS):
            super().handle(**options)

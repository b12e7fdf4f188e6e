"""Planner statistics for SQLite, which never gathers them by itself."""

from __future__ import annotations

from django.db import connections

# Rows sampled per index: SQLite's own PRAGMA optimize uses a limit like this (3.46 and later),
# so that a 1 GB database is analysed in well under a second.
ANALYSIS_LIMIT = 1000


def refresh_statistics(alias: str = "default") -> None:
    """Gather SQLite's planner statistics (sqlite_stat1); PostgreSQL gathers its own."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        # Not PRAGMA optimize: before SQLite 3.46 it only looks at tables this connection has
        # queried, which on a fresh connection is none. A limited ANALYZE is what it does since.
        cursor.execute("ANALYZE")

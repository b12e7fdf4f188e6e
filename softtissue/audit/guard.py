"""The database's own refusal to change or delete audit events, and the one way round it.

Triggers on both databases abort any UPDATE or DELETE of an audit event or a chain anchor.
Emptying the whole database (Django's flush, used between browser tests, or a restore) must still
work, so a connection may switch the guard off for the length of a `with unlocked():` block: on
SQLite through a function registered on each connection, on PostgreSQL through a session setting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

_state = threading.local()

SQLITE_FUNCTION = "softtissue_audit_unlocked"
POSTGRES_SETTING = "softtissue.audit_unlocked"

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_auditevent
    WHEN NOT {SQLITE_FUNCTION}()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """
    for verb in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS audit_event_no_{v}" for v in ("update", "delete")]

POSTGRES_TRIGGER = [
    f"""
    CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        IF current_setting('{POSTGRES_SETTING}', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


# Chain anchors (treatments/anchors.py) are kept as the audit events are, by the same switch.
ANCHOR_TABLE = "audit_chainanchor"
SQLITE_ANCHOR_TRIGGERS = [
    f"""
    CREATE TRIGGER chain_anchor_no_{verb.lower()} BEFORE {verb} ON {ANCHOR_TABLE}
    WHEN NOT {SQLITE_FUNCTION}()
    BEGIN SELECT RAISE(ABORT, 'chain anchors are append-only'); END
    """
    for verb in ("UPDATE", "DELETE")
]
SQLITE_ANCHOR_DROP = [f"DROP TRIGGER IF EXISTS chain_anchor_no_{v}" for v in ("update", "delete")]
POSTGRES_ANCHOR_TRIGGER = [
    f"""
    CREATE FUNCTION chain_anchor_append_only() RETURNS trigger AS $$
    BEGIN
        -- Unlocked (emptying a database, or a test playing a forger): let the change through.
        -- A BEFORE UPDATE trigger that returned OLD would silently keep the old row.
        IF current_setting('{POSTGRES_SETTING}', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'chain anchors are append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER chain_anchor_append_only BEFORE UPDATE OR DELETE ON {ANCHOR_TABLE}
    FOR EACH ROW EXECUTE FUNCTION chain_anchor_append_only()
    """,
]
POSTGRES_ANCHOR_DROP = [
    f"DROP TRIGGER IF EXISTS chain_anchor_append_only ON {ANCHOR_TABLE}",
    "DROP FUNCTION IF EXISTS chain_anchor_append_only()",
]


def is_unlocked() -> bool:
    """True inside an `unlocked()` block in this thread."""
    return bool(getattr(_state, "unlocked", False))


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give every new SQLite connection the function the triggers ask (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, lambda: 1 if is_unlocked() else 0)


@contextmanager
def unlocked(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this thread's connection delete audit events: for emptying a whole database only."""
    connection = connections[using]
    previous = is_unlocked()
    _state.unlocked = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [POSTGRES_SETTING])
        yield
    finally:
        _state.unlocked = previous
        if connection.vendor == "postgresql" and not previous and connection.connection:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [POSTGRES_SETTING])


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers for this database."""
    statements = POSTGRES_TRIGGER if connection.vendor == "postgresql" else SQLITE_TRIGGERS
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (migrating backwards)."""
    statements = POSTGRES_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_anchor_guard(connection: BaseDatabaseWrapper) -> None:
    """Create the chain anchors' triggers for this database."""
    _run(connection, POSTGRES_ANCHOR_TRIGGER, SQLITE_ANCHOR_TRIGGERS)


def uninstall_anchor_guard(connection: BaseDatabaseWrapper) -> None:
    """Drop the chain anchors' triggers (migrating backwards)."""
    _run(connection, POSTGRES_ANCHOR_DROP, SQLITE_ANCHOR_DROP)


def _run(connection: BaseDatabaseWrapper, postgres: list[str], sqlite: list[str]) -> None:
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for statement in postgres if connection.vendor == "postgresql" else sqlite:
            cursor.execute(statement)

"""Database triggers that refuse UPDATE and DELETE on audit events (see audit/guard.py)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from softtissue.audit import guard


def install(apps: Any, schema_editor: Any) -> None:
    guard.install(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    guard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]

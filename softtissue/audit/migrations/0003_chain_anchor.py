"""Chain anchors: each signing's new head with its HMAC, append-only (see audit/guard.py)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from softtissue.audit import guard


def install(apps: Any, schema_editor: Any) -> None:
    guard.install_anchor_guard(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    guard.uninstall_anchor_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_clinic_require_two_factor"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveIntegerField()),
                ("kind", models.CharField(max_length=10)),
                ("note_number", models.PositiveBigIntegerField()),
                ("client_number", models.PositiveBigIntegerField()),
                ("head", models.CharField(max_length=64, verbose_name="chain head")),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("key_id", models.CharField(max_length=16)),
                ("hmac", models.CharField(max_length=64, verbose_name="HMAC")),
                (
                    "clinic",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.clinic",
                    ),
                ),
            ],
            options={
                "ordering": ["clinic", "sequence"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("clinic", "sequence"), name="one_anchor_per_place"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]

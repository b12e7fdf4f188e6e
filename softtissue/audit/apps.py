"""App config for audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only record of who viewed or changed what."""

    name = "softtissue.audit"
    label = "audit"
    verbose_name = "Audit trail"

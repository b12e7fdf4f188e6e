"""App config for audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only record of who viewed or changed what."""

    name = "softtissue.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from softtissue.audit import guard, signals

        connection_created.connect(guard.register_sqlite_function)
        signals.connect()

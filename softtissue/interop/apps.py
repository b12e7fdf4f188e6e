"""App config for interop."""

from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Getting a clinic's data in and out: API tokens, FHIR export, imports, backups."""

    name = "softtissue.interop"
    label = "interop"
    verbose_name = "Import, export and API"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from softtissue.interop import tokens

        # A password change, through any door (page, command, shell), ends the user's tokens.
        post_save.connect(
            tokens.revoke_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="token-revoke-on-password-change",
        )

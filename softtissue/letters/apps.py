"""App config for letters."""

from django.apps import AppConfig


class LettersConfig(AppConfig):
    """Referral, medical clearance and discharge letters, rendered to PDF and kept."""

    name = "softtissue.letters"
    label = "letters"
    verbose_name = "Letters"

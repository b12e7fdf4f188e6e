"""App config for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Clinics, users, memberships and therapist profiles."""

    name = "softtissue.accounts"
    label = "accounts"
    verbose_name = "Clinics and people"

"""App config for privacy."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """UK GDPR: subject access exports, retention, legal holds and erasure."""

    name = "softtissue.privacy"
    label = "privacy"
    verbose_name = "Privacy and retention"

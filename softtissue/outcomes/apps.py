"""App config for outcomes."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Validated outcome measures and their scores."""

    name = "softtissue.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

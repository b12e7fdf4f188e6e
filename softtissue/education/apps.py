"""App config for education."""

from django.apps import AppConfig


class EducationConfig(AppConfig):
    """Condition leaflets from the knowledge base."""

    name = "softtissue.education"
    label = "education"
    verbose_name = "Client education"

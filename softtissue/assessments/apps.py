"""App config for assessments."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Episodes of care and the structured assessment, with live clinical reasoning."""

    name = "softtissue.assessments"
    label = "assessments"
    verbose_name = "Assessments"

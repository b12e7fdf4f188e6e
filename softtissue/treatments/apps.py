"""The treatments app: plans with the scope gate, and signed SOAP notes."""

from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    """Treatment plans, scope decisions, overrides, clearances, SOAP notes and addenda."""

    name = "softtissue.treatments"

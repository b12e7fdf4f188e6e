"""App config for interop."""

from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Getting a clinic's data in and out: API tokens, FHIR export, imports, backups."""

    name = "softtissue.interop"
    label = "interop"
    verbose_name = "Import, export and API"

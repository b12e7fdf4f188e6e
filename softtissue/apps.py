"""The project shell as an app, so it can carry the shared templates and CLI commands."""

from django.apps import AppConfig


class SofttissueConfig(AppConfig):
    """Project-wide commands (serve, knowledge, reason) and the shared layout."""

    name = "softtissue"
    verbose_name = "softtissue"

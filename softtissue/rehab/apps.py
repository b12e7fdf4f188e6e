"""App config for rehab."""

from django.apps import AppConfig


class RehabConfig(AppConfig):
    """Exercise programmes for an episode, the client's link and adherence logs."""

    name = "softtissue.rehab"
    label = "rehab"
    verbose_name = "Rehab programmes"

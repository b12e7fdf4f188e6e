"""App config for clients."""

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """The people treated, their history and their consent."""

    name = "softtissue.clients"
    label = "clients"
    verbose_name = "Clients"

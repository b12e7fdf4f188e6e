"""Leaflet tests use the client fixtures."""

from tests.clients.conftest import alices_client, make_client

__all__ = ["alices_client", "make_client"]

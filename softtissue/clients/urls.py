"""URLs of the clients pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

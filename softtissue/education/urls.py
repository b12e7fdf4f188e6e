"""URLs of the education pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

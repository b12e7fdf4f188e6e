"""URLs of the assessments pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The Django admin, opened to clinic owners and scoped to their own clinic."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


def owner_clinic_id(request: HttpRequest) -> int | None:
    """The clinic an owner administers, or None for anyone who is not an owner."""
    membership = getattr(request, "membership", None)
    if membership is not None and membership.role == "owner":
        return int(membership.clinic_id)
    return None


class ClinicAdminSite(admin.AdminSite):
    """Owners see their own clinic's records; site superusers see everything."""

    site_header = "softtissue administration"
    site_title = "softtissue admin"
    index_title = "Clinic administration"

    def has_permission(self, request: HttpRequest) -> bool:
        """Owners and superusers may enter; nobody else."""
        user = request.user
        if not user.is_active:
            return False
        return bool(user.is_superuser) or owner_clinic_id(request) is not None


class ClinicScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin that only ever shows and edits rows of the owner's clinic."""

    clinic_field = "clinic"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """Rows of the owner's clinic; everything for a superuser."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.clinic_field}_id": owner_clinic_id(request)})

    def _is_owner(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) or owner_clinic_id(request) is not None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_owner(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._is_owner(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._is_owner(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_owner(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._is_owner(request)


site = ClinicAdminSite(name="admin")

"""The Django admin, opened to clinic owners and scoped to their own clinic."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, path


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

    def get_urls(self) -> list[URLResolver | URLPattern]:
        """Django's, with "view on site" answering only for the owner's own rows."""
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        shortcut = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [shortcut, *urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        """The row's own page, found through its admin's queryset (the owner's clinic).

        Django's shortcut looks in every clinic, so it redirected for another clinic's row and
        answered 404 for a missing one: here both are the same 404.
        """
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type is not None else None
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404("No such record.")
        row = model_admin.get_object(request, object_id)
        url = getattr(row, "get_absolute_url", None)
        if row is None or url is None:
            raise Http404("No such record.")
        return HttpResponseRedirect(url())


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
        """Never: Django's delete also rewrites or removes the rows that point at the one
        deleted, signed notes among them. A member who leaves is deactivated instead."""
        return False


site = ClinicAdminSite(name="admin")

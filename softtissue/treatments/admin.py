"""Signed notes in the admin: readable by the clinic's owner, never editable or deletable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from softtissue.admin_site import ClinicScopedAdmin, site
from softtissue.treatments.models import Addendum, TreatmentNote


class ReadOnlyAdmin(ClinicScopedAdmin):
    """Shows rows of the owner's clinic; adding, changing and deleting are refused."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(TreatmentNote, site=site)
class TreatmentNoteAdmin(ReadOnlyAdmin):
    """Session notes, read only."""

    list_display = ("session_date", "episode", "status", "signed_at")
    list_filter = ("status",)


@admin.register(Addendum, site=site)
class AddendumAdmin(ReadOnlyAdmin):
    """Addenda, read only."""

    list_display = ("note", "signed_at")

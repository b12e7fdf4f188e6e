"""Owner administration of the clinic's team and qualifications."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from softtissue.accounts.models import Membership, Qualification, Therapist
from softtissue.admin_site import ClinicScopedAdmin, owner_clinic_id, site


class QualificationInline(admin.TabularInline):  # type: ignore[type-arg]
    """Qualifications edited on the therapist's page."""

    model = Qualification
    fields = ("knowledge_id", "awarding_body", "awarded_on", "certificate_ref")
    extra = 0


class OwnClinicChoices:
    """Limits foreign-key choices to the owner's clinic, so no form can point elsewhere."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        clinic_id = owner_clinic_id(request)
        if clinic_id is not None and not request.user.is_superuser:
            if db_field.name == "clinic":
                kwargs["queryset"] = db_field.related_model._default_manager.filter(id=clinic_id)
            elif db_field.name == "user":
                kwargs["queryset"] = db_field.related_model._default_manager.filter(
                    membership__clinic_id=clinic_id
                )
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field


@admin.register(Membership, site=site)
class MembershipAdmin(OwnClinicChoices, ClinicScopedAdmin):
    """Who works in the clinic and in which role."""

    list_display = ("user", "role")
    list_filter = ("role",)


@admin.register(Therapist, site=site)
class TherapistAdmin(OwnClinicChoices, ClinicScopedAdmin):
    """Therapist profiles with their qualifications."""

    list_display = ("user", "professional_body", "membership_number")
    inlines = (QualificationInline,)

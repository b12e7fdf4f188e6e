"""Owner administration of the clinic's team and qualifications."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from softtissue.accounts.models import (
    CpdCertificate,
    InsurancePolicy,
    Membership,
    Qualification,
    Therapist,
)
from softtissue.admin_site import ClinicScopedAdmin, owner_clinic_id, site


class OwnerInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline the clinic's owner may edit (owners hold no Django model permissions)."""

    def _is_owner(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) or owner_clinic_id(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_owner(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_owner(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_owner(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_owner(request)


class QualificationInline(OwnerInline):
    """Qualifications edited on the therapist's page."""

    model = Qualification
    fields = ("knowledge_id", "awarding_body", "awarded_on", "certificate_ref")
    extra = 0


class CpdCertificateInline(OwnerInline):
    """CPD certificates edited on the therapist's page."""

    model = CpdCertificate
    fields = ("knowledge_id", "provider", "completed_on", "certificate_ref")
    extra = 0


class InsurancePolicyInline(OwnerInline):
    """Insurance policies edited on the therapist's page."""

    model = InsurancePolicy
    fields = ("insurer", "policy_number", "valid_from", "valid_to", "schedule")
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
    """Therapist profiles with their qualifications, CPD and insurance."""

    list_display = ("user", "professional_body", "membership_number")
    inlines = (QualificationInline, CpdCertificateInline, InsurancePolicyInline)

"""Owner administration of the clinic's team and qualifications; leavers are deactivated."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import ForeignKey, QuerySet
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
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import record


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


def set_active(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    rows: QuerySet[Any],
    active: bool,
) -> None:
    """Let the chosen members log in again, or stop them; their records are not touched."""
    chosen: list[Membership | Therapist] = list(rows.select_related("user"))
    if not active and any(row.user_id == request.user.pk for row in chosen):
        model_admin.message_user(
            request,
            "You cannot deactivate yourself: ask another owner or the site administrator.",
            messages.ERROR,
        )
        return
    changed = 0
    for row in chosen:
        if row.user.is_active == active:
            continue
        row.user.is_active = active
        row.user.save(update_fields=["is_active"])
        # Ids only, as every event: who changed whose access, in which clinic.
        record(
            AuditEvent.Action.UPDATE,
            object_type="accounts.User",
            object_id=row.user_id,
            clinic_id=row.clinic_id,
            user_id=request.user.pk,
        )
        changed += 1
    done = "reactivated" if active else "deactivated: they can no longer log in or use the API"
    model_admin.message_user(request, f"{changed} member(s) {done}.", messages.SUCCESS)


class LeaverActions:
    """A member who leaves is deactivated, never deleted: their notes and plans stay theirs."""

    @admin.action(description="Deactivate (has left: their records stay theirs)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        set_active(self, request, queryset, active=False)  # type: ignore[arg-type]

    @admin.action(description="Reactivate (has come back)")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        set_active(self, request, queryset, active=True)  # type: ignore[arg-type]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Whose profile or membership it is stays as created: changing it would make every
        note of theirs read as someone else's work."""
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*fields, "user") if obj is not None else fields


@admin.display(boolean=True, description="active")
def is_active(row: Membership | Therapist) -> bool:
    """Whether the member may log in."""
    return bool(row.user.is_active)


@admin.register(Membership, site=site)
class MembershipAdmin(LeaverActions, OwnClinicChoices, ClinicScopedAdmin):
    """Who works in the clinic and in which role."""

    list_display = ("user", "role", is_active)
    list_filter = ("role",)
    actions = ("deactivate", "reactivate")


@admin.register(Therapist, site=site)
class TherapistAdmin(LeaverActions, OwnClinicChoices, ClinicScopedAdmin):
    """Therapist profiles with their qualifications, CPD and insurance."""

    list_display = ("user", "professional_body", "membership_number", is_active)
    inlines = (QualificationInline, CpdCertificateInline, InsurancePolicyInline)
    actions = ("deactivate", "reactivate")

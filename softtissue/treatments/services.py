"""Use cases of the scope gate that the plan page and the API share: overriding a decision."""

from __future__ import annotations

from django.db import transaction

from softtissue.accounts.models import Clinic, Membership
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import muted, record
from softtissue.treatments.models import Override, TreatmentPlan, reason_problem
from softtissue.treatments.models import ScopeDecision as ScopeRecord

NOT_OVERRIDABLE = (
    "This decision cannot be overridden: a red flag, an absolute contraindication, a "
    "contraindication on the planned area or expired insurance stops treatment. Refer the client."
)


class OverrideError(Exception):
    """The scope gate's decision on a plan cannot be overridden, or not by this member."""


def override_scope(
    clinic: Clinic, member: Membership, plan: TreatmentPlan, reason: str
) -> Override:
    """Override the plan's scope decision with a written reason; the decision is copied in."""
    if member.clinic_id != clinic.pk or plan.clinic_id != clinic.pk:
        raise OverrideError("This plan is not one of your clinic's plans.")
    if not member.is_clinical:
        raise OverrideError("Only the clinic's therapists and owner can override the scope gate.")
    problem = reason_problem(reason)
    if problem:
        raise OverrideError(problem)
    with transaction.atomic():
        # Locked, so two overrides sent at once record one, and the copy is of what was refused.
        decision = (
            ScopeRecord.objects.select_for_update().filter(clinic=clinic, plan_id=plan.pk).first()
        )
        if decision is None:
            raise OverrideError("This plan has no scope decision to override.")
        if decision.outcome == "allow":
            raise OverrideError("The scope gate allows this plan: there is nothing to override.")
        if not decision.overridable:
            raise OverrideError(NOT_OVERRIDABLE)
        if Override.objects.filter(
            clinic=clinic, plan_id=plan.pk, outcome=decision.outcome
        ).exists():
            raise OverrideError("This decision is already overridden: see the plan's overrides.")
        with muted():  # the one event below stands for the override
            override = Override.objects.create(
                clinic=clinic,
                plan=plan,
                by_id=member.user_id,
                reason=reason.strip(),
                outcome=decision.outcome,
                reasons=[item for item in decision.items if item["outcome"] == decision.outcome],
            )
        # Ids only: the reason and the reasons overridden are the client's health data.
        record(
            AuditEvent.Action.CREATE,
            object_type=Override._meta.label,
            object_id=override.pk,
            client_id=plan.episode.client_id,
            clinic_id=clinic.pk,
            user_id=member.user_id,
        )
    return override

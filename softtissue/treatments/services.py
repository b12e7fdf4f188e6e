"""Use cases the pages and the API share: overriding the scope gate, and who may change or sign
a draft note."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from softtissue.accounts.models import Clinic, Membership, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import muted, record
from softtissue.treatments import signing
from softtissue.treatments.models import (
    Override,
    TreatmentNote,
    TreatmentPlan,
    reason_problem,
    session_date_problem,
)
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


class NoteRefused(Exception):
    """A draft note cannot be changed or signed by this member: it is a colleague's."""


def draft_author_problem(note: TreatmentNote, user_id: int | None) -> str:
    """Why this user may not change or sign the draft, or "": only its author may.

    A colleague's word on a colleague's session is a signed addendum, added once the author has
    signed, so a note never reads as the work of someone who did not write it. A draft with no
    therapist recorded (written by a member without a therapist profile) has no author to hold
    it to: any clinician may complete it, and saving it makes them its therapist.
    """
    therapist = note.therapist
    if therapist is None or therapist.user_id == user_id:
        return ""
    return (
        f"This draft is {note.therapist}'s: only they can change or sign it. "
        "Once they have signed it, you can add a signed addendum."
    )


def require_draft_author(note: TreatmentNote, user_id: int | None) -> None:
    """Refuse (NoteRefused) anyone but the draft's author."""
    problem = draft_author_problem(note, user_id)
    if problem:
        raise NoteRefused(problem)


def sign_draft(note: TreatmentNote, user: User) -> TreatmentNote:
    """Sign a draft as its author, into the clinic's chain (the scope gate is checked first by
    the caller)."""
    if note.status == TreatmentNote.Status.DRAFT:
        require_draft_author(note, user.pk)
        # A draft saved before dates were bounded, or written by another door, is not signed
        # with a date that cannot be a session's: the date is changed in the draft first.
        opened = timezone.localdate(note.episode.opened_at)
        problem = session_date_problem(note.session_date, opened, timezone.localdate())
        if problem:
            raise signing.SigningError(f"Not signed: {problem} Change the draft's date first.")
    return signing.sign_note(note.pk, note.clinic_id, user)

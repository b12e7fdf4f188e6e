"""Treatment plans behind the scope gate, and SOAP notes: draft, sign, addenda."""

from __future__ import annotations

import json

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import clinical_required
from softtissue.assessments.models import Episode
from softtissue.assessments.questions import kb, region_label
from softtissue.assessments.views import current_therapist
from softtissue.audit.edits import merge_changes, track_changes
from softtissue.reasoning import ScopeDecision
from softtissue.treatments import gate, services, signing
from softtissue.treatments.forms import (
    AddendumForm,
    ClearanceForm,
    NoteForm,
    OverrideForm,
    PlanForm,
    TechniqueRows,
    technique_rows,
)
from softtissue.treatments.models import (
    MedicalClearance,
    PlanTechnique,
    TreatmentNote,
    TreatmentPlan,
)
from softtissue.treatments.models import ScopeDecision as ScopeRecord


def _episode(request: HttpRequest, episode_id: int) -> Episode:
    return get_object_or_404(
        Episode.objects.select_related("client"),
        pk=episode_id,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def _plan(request: HttpRequest, pk: int) -> TreatmentPlan:
    return get_object_or_404(
        TreatmentPlan.objects.select_related("episode__client", "therapist__user"),
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def _note(request: HttpRequest, pk: int) -> TreatmentNote:
    return get_object_or_404(
        TreatmentNote.objects.select_related("episode__client", "therapist__user", "signed_by"),
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def technique_name(technique: str) -> str:
    """A technique's name from the knowledge base."""
    entry = kb().techniques.get(technique)
    return str(entry["name"]) if entry else technique


def _labelled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        {**row, "name": technique_name(row["technique"]), "where": region_label(row["region"])}
        for row in rows
    ]


@clinical_required
def create_plan(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Write a plan: the core suggests techniques with their scope; the gate decides on saving."""
    episode = _episode(request, episode_id)
    therapist = current_therapist(request)
    facts, findings = gate.facts_today(therapist, episode)
    condition = request.POST.get("condition", episode.condition) or episode.condition
    suggestion = gate.suggest(condition, facts, findings)
    initial_rows = gate.suggested_rows(suggestion, episode.region)
    form = PlanForm(request.POST or None, initial={"condition": episode.condition})
    rows = TechniqueRows(request.POST or None, initial=initial_rows, prefix="techniques")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        plan = form.save(commit=False)
        plan.clinic = request.clinic  # type: ignore[attr-defined]
        plan.episode = episode
        plan.therapist = therapist
        gate.save_plan(plan, technique_rows(rows), facts, findings)
        return redirect("plan_detail", plan.pk)
    context = {
        "episode": episode,
        "client": episode.client,
        "form": form,
        "rows": rows,
        "suggestion": suggestion,
        "facts": facts,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "treatments/plan_form.html", context, status=status)


def render_plan(
    request: HttpRequest,
    plan: TreatmentPlan,
    override_form: OverrideForm | None = None,
    clearance_form: ClearanceForm | None = None,
) -> HttpResponse:
    """The plan page with its scope decision and whatever the gate still asks for."""
    record = ScopeRecord.objects.filter(clinic_id=plan.clinic_id, plan=plan).first()
    techniques = [
        {"technique": t.technique, "region": t.region}
        for t in PlanTechnique.objects.filter(clinic_id=plan.clinic_id, plan=plan)
    ]
    context = {
        "plan": plan,
        "episode": plan.episode,
        "client": plan.episode.client,
        "record": record,
        "techniques": _labelled(techniques),
        "condition_name": kb().conditions.get(plan.condition, {}).get("name", ""),
        "category_label": kb().categories.get(plan.condition_category, {}).get("label", ""),
        "overrides": plan.overrides.filter(clinic_id=plan.clinic_id).select_related("by"),
        "clearances": plan.clearances.filter(clinic_id=plan.clinic_id),
        "clearance": gate.plan_clearance(plan),
        "override_form": override_form or OverrideForm(),
        "clearance_form": clearance_form or ClearanceForm(),
    }
    status = 400 if override_form is not None or clearance_form is not None else 200
    return render(request, "treatments/plan_detail.html", context, status=status)


@clinical_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan, its scope decision with reasons, and the way forward."""
    return render_plan(request, _plan(request, pk))


@clinical_required
@require_POST
def acknowledge_scope(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the therapist read the scope warnings and proceeds."""
    plan = _plan(request, pk)
    record = get_object_or_404(ScopeRecord, plan=plan, clinic=request.clinic)  # type: ignore[attr-defined]
    if record.outcome != "warn":
        messages.error(request, "Only a warning can be acknowledged.")
    elif record.acknowledged_at is None:
        record.acknowledged_by = request.user  # type: ignore[assignment]
        record.acknowledged_at = timezone.now()
        record.save(update_fields=["acknowledged_by", "acknowledged_at"])
        messages.success(request, "Warning acknowledged and recorded.")
    return redirect("plan_detail", plan.pk)


@clinical_required
@require_POST
def override_scope(request: HttpRequest, pk: int) -> HttpResponse:
    """Override the gate with a written reason, unless the core says it cannot be overridden."""
    plan = _plan(request, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return render_plan(request, plan, override_form=form)
    try:
        services.override_scope(
            request.clinic,  # type: ignore[attr-defined]
            request.membership,  # type: ignore[attr-defined]
            plan,
            form.cleaned_data["reason"],
        )
    except services.OverrideError as error:
        messages.error(request, str(error))
        return redirect("plan_detail", plan.pk)
    messages.success(request, "Override recorded with your reason.")
    return redirect("plan_detail", plan.pk)


@clinical_required
@require_POST
def record_clearance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a medical clearance: an uploaded PDF or a note, with its date and source."""
    plan = _plan(request, pk)
    form = ClearanceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_plan(request, plan, clearance_form=form)
    clearance = form.save(commit=False)
    clearance.clinic_id = plan.clinic_id
    clearance.plan = plan
    clearance.recorded_by = request.user  # type: ignore[assignment]
    clearance.save()
    messages.success(request, "Medical clearance recorded.")
    return redirect("plan_detail", plan.pk)


@clinical_required
def download_clearance(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded clearance letter."""
    clearance = get_object_or_404(
        MedicalClearance,
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )
    if not clearance.document:
        return redirect("plan_detail", clearance.plan_id)
    try:
        with clearance.document.open("rb") as document:
            response = HttpResponse(document.read(), content_type="application/pdf")
    except OSError:
        # The row outlived its file (a restore from a backup without uploads, a disk fault).
        messages.error(
            request,
            f"Clearance letter file missing: the clearance from {clearance.given_by} on "
            f"{clearance.given_on:%d %b %Y} is recorded, but its PDF is not in this "
            "installation's uploads. Restore a backup that holds it, or upload it again.",
        )
        return redirect("plan_detail", clearance.plan_id)
    response["Content-Disposition"] = 'inline; filename="clearance.pdf"'
    return response


def note_verdict(
    request: HttpRequest,
    episode: Episode,
    plan: TreatmentPlan,
    chosen: list[dict[str, str]],
    acknowledged: bool,
) -> tuple[ScopeDecision, gate.Clearance]:
    """The scope gate on a session's techniques now, under the episode's plan."""
    facts, findings = gate.facts_today(current_therapist(request), episode)
    decision = gate.check(
        facts,
        gate.Request(
            condition=plan.condition,
            condition_category=plan.condition_category,
            techniques=tuple(r["technique"] for r in chosen),
            regions=tuple(r["region"] for r in chosen),
            complaint_region=episode.region,
        ),
        findings,
    )
    return decision, gate.note_clearance(plan, decision, acknowledged)


def _save_note(request: HttpRequest, episode: Episode, note: TreatmentNote | None) -> HttpResponse:
    """Create or edit a draft note; the gate checks its techniques before anything is saved."""
    plan = TreatmentPlan.objects.filter(clinic_id=episode.clinic_id, episode=episode).first()
    initial_rows = note.techniques if note else []
    form = NoteForm(
        request.POST or None,
        # A new note's instance knows its episode, so the model's clean can bound the date.
        instance=note or TreatmentNote(clinic_id=episode.clinic_id, episode=episode),
        initial=None if note else {"session_date": timezone.localdate()},
    )
    rows = TechniqueRows(request.POST or None, initial=initial_rows, prefix="techniques")
    if note is not None:
        # The same draft may be open in two windows: save only what this page changed.
        track_changes(form)
    shown_rows: list[dict[str, str]] | None = note_rows(note.techniques) if note else []
    if note is not None and request.method == "POST":
        shown_rows = posted_rows(request.POST.get("techniques_shown", ""))
    problem = ""
    if plan is None:
        problem = "Write a treatment plan for this episode before recording a session."
    elif not gate.plan_clearance(plan).may_treat:
        problem = "The treatment plan's scope gate has not cleared treatment: see the plan."
    if request.method == "POST" and not problem and form.is_valid() and rows.is_valid():
        assert plan is not None
        chosen = technique_rows(rows)
        decision, verdict = note_verdict(
            request, episode, plan, chosen, form.cleaned_data["acknowledge"]
        )
        if verdict.may_treat and note is None:
            saved = form.save(commit=False)
            saved.clinic = request.clinic  # type: ignore[attr-defined]
            saved.episode = episode
            saved.therapist = saved.therapist or current_therapist(request)
            saved.techniques = chosen
            saved.save()
            messages.success(request, "Draft saved. Sign it when it is complete.")
            return redirect("note_detail", saved.pk)
        if verdict.may_treat and note is not None:
            edited = save_draft_edits(request, form, note, chosen, shown_rows)
            if isinstance(edited, TreatmentNote):
                messages.success(request, "Draft saved. Sign it when it is complete.")
                return redirect("note_detail", edited.pk)
            shown_rows = edited
        else:
            reasons = [i.reason for i in decision.items if i.outcome == decision.outcome]
            if verdict.needs == "acknowledge":
                form.add_error("acknowledge", "Tick to acknowledge: " + " ".join(reasons))
            else:
                problem = "These techniques are outside what you may do here: " + " ".join(reasons)
    context = {
        "episode": episode,
        "client": episode.client,
        "note": note,
        "plan": plan,
        "form": form,
        "rows": rows,
        "problem": problem,
        "techniques_shown": json.dumps(shown_rows),
    }
    status = 400 if request.method == "POST" else (409 if problem else 200)
    return render(request, "treatments/note_form.html", context, status=status)


def note_rows(techniques: list[dict[str, str]]) -> list[dict[str, str]]:
    """A note's technique rows in the one shape a form gives them."""
    return [
        {"technique": r["technique"], "region": r["region"], "dosage": r.get("dosage", "")}
        for r in techniques
    ]


def posted_rows(text: str) -> list[dict[str, str]] | None:
    """The technique rows an edit page showed (its hidden copy), or None when it sent none."""
    try:
        rows = json.loads(text)
        return note_rows(rows) if isinstance(rows, list) else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def save_draft_edits(
    request: HttpRequest,
    form: NoteForm,
    note: TreatmentNote,
    chosen: list[dict[str, str]],
    shown: list[dict[str, str]] | None,
) -> TreatmentNote | list[dict[str, str]]:
    """Save what this page changed onto the draft as it is now; when another window changed
    the same thing (or signed the note) meanwhile, the rows stored now, with the form's errors."""
    with transaction.atomic():
        locked = TreatmentNote.objects.select_for_update().get(pk=note.pk, clinic=note.clinic_id)
        stored = note_rows(locked.techniques)
        if locked.status == TreatmentNote.Status.SIGNED:
            form.add_error(
                None, "This note was signed meanwhile and cannot be changed: add an addendum."
            )
            return stored
        changed = merge_changes(form, locked, request.user.pk)
        if changed is None:
            return stored
        if shown is None or chosen != shown:
            if shown is not None and stored not in (shown, chosen):
                now = "; ".join(
                    f"{technique_name(r['technique'])} on {region_label(r['region'])}"
                    + (f" ({r['dosage']})" if r["dosage"] else "")
                    for r in stored
                )
                form.add_error(
                    None,
                    "The techniques were changed since the page was opened, and now are: "
                    f"{now or 'none'}. Nothing was saved. Your rows are below: save again to "
                    "keep them, or change them.",
                )
                return stored
            locked.techniques = chosen
            changed.append("techniques")
        if changed:
            locked.save(update_fields=changed)
    return locked


@clinical_required
def create_note(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Record a session's SOAP note as a draft."""
    return _save_note(request, _episode(request, episode_id), None)


@clinical_required
def edit_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft note; a signed note only takes addenda."""
    note = _note(request, pk)
    if note.status == TreatmentNote.Status.SIGNED:
        messages.error(request, "This note is signed and cannot be changed: add an addendum.")
        return redirect("note_detail", note.pk)
    not_yours = services.draft_author_problem(note, request.user.pk)
    if not_yours:
        messages.error(request, not_yours)
        return redirect("note_detail", note.pk)
    return _save_note(request, note.episode, note)


def render_note(
    request: HttpRequest, note: TreatmentNote, addendum_form: AddendumForm | None = None
) -> HttpResponse:
    """The note page, with its addenda."""
    context = {
        "note": note,
        "episode": note.episode,
        "client": note.episode.client,
        "techniques": _labelled(note.techniques),
        "addenda": note.addenda.filter(clinic_id=note.clinic_id).select_related("signed_by"),
        "addendum_form": addendum_form or AddendumForm(),
        "not_yours": services.draft_author_problem(note, request.user.pk),
    }
    status = 400 if addendum_form is not None else 200
    return render(request, "treatments/note_detail.html", context, status=status)


@clinical_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A note, signed or draft, with its addenda."""
    return render_note(request, _note(request, pk))


@clinical_required
@require_POST
def sign_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the note: it is locked and joins the clinic's chain."""
    note = _note(request, pk)
    not_yours = services.draft_author_problem(note, request.user.pk)
    if not_yours and note.status == TreatmentNote.Status.DRAFT:
        messages.error(request, not_yours)
        return redirect("note_detail", note.pk)
    plan = TreatmentPlan.objects.filter(clinic_id=note.clinic_id, episode=note.episode).first()
    if plan is not None and note.status == TreatmentNote.Status.DRAFT:
        # The gate runs again at signing: a red flag found or a policy expired since the draft
        # was saved must stop the note from becoming the record of a treatment. A warning was
        # already acknowledged when the draft was saved.
        decision, verdict = note_verdict(request, note.episode, plan, note.techniques, True)
        if not verdict.may_treat:
            reasons = " ".join(i.reason for i in decision.items if i.outcome == decision.outcome)
            messages.error(request, "Not signed: the scope gate no longer clears this. " + reasons)
            return redirect("note_detail", note.pk)
    try:
        services.sign_draft(note, request.user)  # type: ignore[arg-type]
    except (signing.SigningError, services.NoteRefused) as error:
        messages.error(request, str(error))
        return redirect("note_detail", note.pk)
    messages.success(request, "Note signed. It can no longer be changed; add an addendum.")
    return redirect("note_detail", note.pk)


@clinical_required
@require_POST
def add_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a signed addendum to a signed note."""
    note = _note(request, pk)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        return render_note(request, note, form)
    try:
        signing.add_addendum(note.pk, note.clinic_id, request.user, form.cleaned_data["text"])  # type: ignore[arg-type]
    except signing.SigningError as error:
        form.add_error("text", str(error))
        return render_note(request, note, form)
    messages.success(request, "Addendum signed and added.")
    return redirect("note_detail", note.pk)

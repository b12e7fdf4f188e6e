"""The assessment page, its sections (saved with htmx or a plain POST) and the reasoning panel."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from softtissue.accounts.access import clinical_required
from softtissue.accounts.facts import fetch_facts
from softtissue.assessments import bodychart
from softtissue.assessments.forms import (
    FindingsForm,
    HistoryForm,
    MarkForm,
    MovementForm,
    NotesForm,
    TestsForm,
)
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.panel import (
    Panel,
    Records,
    load_records,
    reasoning_panel,
)
from softtissue.assessments.questions import (
    ASKED_ELSEWHERE,
    kb,
    movements,
    region_label,
    region_questions,
    screening_questions,
    suggested_tests,
)
from softtissue.assessments.views import current_therapist
from softtissue.audit.edits import save_changes

# Every section form is a plain Form or a ModelForm; both have is_valid and errors.
AnyForm = forms.BaseForm
SECTIONS = ("history", "screening", "region", "chart", "motion", "tests", "notes")


def get_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The clinic's assessment with its episode and client, or 404."""
    return get_object_or_404(
        Assessment.objects.select_related("episode__client"),
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def section_forms(records: Records) -> dict[str, AnyForm]:
    """Every section's form, unbound, showing what is stored."""
    assessment, region = records.assessment, records.region
    results = {t.test_id: t.result for t in records.tests}
    return {
        "history": HistoryForm(instance=assessment, prefix="history"),
        "screening": FindingsForm(
            screening_questions(region), assessment.findings, prefix="screening"
        ),
        "region": FindingsForm(region_questions(region), assessment.findings, prefix="region"),
        "chart": MarkForm(prefix="mark"),
        "motion": MovementForm(movements(region), prefix="rom"),
        "tests": TestsForm(suggested_tests(region), results, prefix="tests"),
        "notes": NotesForm(instance=assessment, prefix="notes"),
    }


def page_context(
    request: HttpRequest,
    records: Records,
    bound: dict[str, AnyForm] | None = None,
) -> dict[str, Any]:
    """Everything the assessment page and its partials show."""
    assessment = records.assessment
    today = timezone.localdate()
    therapist = current_therapist(request)
    panel = reasoning_panel(records, fetch_facts(therapist, today), today)
    previous = (
        Assessment.objects.filter(
            clinic_id=assessment.clinic_id, episode=assessment.episode, pk__lt=assessment.pk
        )
        .order_by("-pk")
        .first()
    )
    previous_marks = (
        list(BodyChartMark.objects.filter(clinic_id=assessment.clinic_id, assessment=previous))
        if previous
        else []
    )
    return {
        "assessment": assessment,
        "episode": assessment.episode,
        "client": assessment.episode.client,
        "age": assessment.episode.client.age_on(today),
        "region_label": region_label(records.region),
        "forms": {**section_forms(records), **(bound or {})},
        "panel": panel,
        "panel_context": panel_context(panel),
        "marks": records.marks,
        "previous": previous,
        "previous_marks": previous_marks,
        "figures": figures(records.marks),
        "motion_rows": motion_rows(records),
        "test_rows": test_rows(records),
        "screening": screening_state(records, panel),
    }


def panel_context(panel: Panel) -> dict[str, Any]:
    """The panel's rows with knowledge labels resolved."""
    knowledge = kb()
    return {
        "candidates": panel.candidate_rows(),
        "flags": [
            {
                "flag": flag,
                "name": knowledge.red_flags[flag.rule_id]["name"],
                "because": [knowledge.findings[c].label for c in flag.because],
            }
            for flag in panel.triage.flags
        ],
        "unanswered_labels": [knowledge.findings[c].label for c in panel.unanswered],
        "findings_count": len(panel.findings),
    }


def figures(marks: list[BodyChartMark]) -> list[dict[str, Any]]:
    """Front and back figures with their shapes, coloured where marked."""
    lit = bodychart.marked_shapes((m.area, m.view, m.side) for m in marks)
    labels = dict(bodychart.area_choices())
    drawn = []
    for view, near, far in (("front", "Right", "Left"), ("back", "Left", "Right")):
        shapes = [
            bodychart.shape_markup(
                s,
                (s.view, s.area, s.side) in lit,
                f"{labels.get(s.area, s.area)}, {s.side}, {s.view}",
            )
            for s in bodychart.shapes()
            if s.view == view
        ]
        outline = [s for s in bodychart.OUTLINE if s.view == view]
        drawn.append({"view": view, "shapes": shapes, "outline": outline, "near": near, "far": far})
    return drawn


def motion_rows(records: Records) -> list[dict[str, Any]]:
    """The region's movements with norms, and each measurement with its deficit."""
    deficits = records.deficits()
    measured: dict[str, list[dict[str, Any]]] = {}
    for m in records.movements:
        measured.setdefault(m.movement_id, []).append(
            {"row": m, "deficit": deficits[(m.movement_id, m.side)]}
        )
    region_movements = movements(records.region)
    rows = [{"movement": mv, "measured": measured.pop(mv["id"], [])} for mv in region_movements]
    # Measurements of movements the region no longer lists are still shown, not hidden.
    rows += [
        {"movement": {"id": key, "label": key, "normal_degrees": None}, "measured": value}
        for key, value in measured.items()
    ]
    return rows


def test_rows(records: Records) -> list[dict[str, Any]]:
    """Recorded results of tests that are not suggested for the region."""
    suggested = set(suggested_tests(records.region))
    names = kb().special_tests
    return [
        {"result": t, "name": names[t.test_id]["name"] if t.test_id in names else t.test_id}
        for t in records.tests
        if t.test_id not in suggested
    ]


def screening_state(records: Records, panel: Panel) -> dict[str, Any]:
    """How many screening findings are unanswered, and those recorded in other sections."""
    knowledge = kb()
    asked = set(screening_questions(records.region))
    elsewhere = [
        {"label": knowledge.findings[c].label, "where": ASKED_ELSEWHERE.get(c, "Special tests")}
        for c in panel.unanswered
        if c not in asked
    ]
    return {"unanswered": len(panel.unanswered), "elsewhere": elsewhere}


@clinical_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The structured assessment with the live reasoning panel beside it."""
    assessment = get_assessment(request, pk)
    records = load_records(assessment)
    return render(request, "assessments/assessment_detail.html", page_context(request, records))


@clinical_required
@require_GET
def assessment_reasoning(request: HttpRequest, pk: int) -> HttpResponse:
    """The reasoning panel alone, for htmx to refresh; a plain request goes to the page."""
    assessment = get_assessment(request, pk)
    if not getattr(request, "htmx", False):
        return redirect(f"{assessment.get_absolute_url()}#reasoning")
    records = load_records(assessment)
    today = timezone.localdate()
    panel = reasoning_panel(records, fetch_facts(current_therapist(request), today), today)
    context = {"assessment": assessment, "panel": panel, "panel_context": panel_context(panel)}
    return render(request, "assessments/_reasoning.html", context)


@clinical_required
@require_GET
def safety_net_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's printable card: what today's screening means and when to get help."""
    assessment = get_assessment(request, pk)
    records = load_records(assessment)
    today = timezone.localdate()
    panel = reasoning_panel(records, fetch_facts(current_therapist(request), today), today)
    context = {"assessment": assessment, "client": assessment.episode.client, "panel": panel}
    return render(request, "assessments/safety_net_card.html", context)


Saver = Callable[[HttpRequest, Records], AnyForm]


def save_history(request: HttpRequest, records: Records) -> HistoryForm:
    """Save the fields of the subjective history this page changed."""
    # A copy, so that a failed form never leaves half-typed values on the page's assessment.
    form = HistoryForm(request.POST, instance=copy.copy(records.assessment), prefix="history")
    if form.is_valid():
        save_changes(form, Assessment.objects.all(), records.assessment.pk, request.user.pk)
    return form


def save_notes(request: HttpRequest, records: Records) -> NotesForm:
    """Save the observation and palpation notes this page changed."""
    form = NotesForm(request.POST, instance=copy.copy(records.assessment), prefix="notes")
    if form.is_valid():
        save_changes(form, Assessment.objects.all(), records.assessment.pk, request.user.pk)
    return form


def _findings_saver(
    section: str, questions: Callable[[str], tuple[str, ...]]
) -> Callable[[HttpRequest, Records], FindingsForm]:
    def save(request: HttpRequest, records: Records) -> FindingsForm:
        assessment = records.assessment
        codes = questions(records.region)
        form = FindingsForm(codes, assessment.findings, request.POST, prefix=section)
        if form.is_valid():
            with transaction.atomic():
                # Locked and re-read: two sections may save their answers at the same moment.
                locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
                for code, value in form.answers().items():
                    if value is None:
                        locked.findings.pop(code, None)
                    else:
                        locked.findings[code] = value
                locked.save(update_fields=["findings"])
        return form

    save.__doc__ = f"Save the {section} answers."
    return save


def save_mark(request: HttpRequest, records: Records) -> MarkForm:
    """Add a body-chart mark."""
    form = MarkForm(request.POST, prefix="mark")
    if form.is_valid():
        mark = form.save(commit=False)
        mark.clinic_id = records.assessment.clinic_id
        mark.assessment = records.assessment
        mark.save()
    return form


def save_movement(request: HttpRequest, records: Records) -> MovementForm:
    """Record (or re-record) a range-of-motion measurement."""
    form = MovementForm(movements(records.region), request.POST, prefix="rom")
    if form.is_valid():
        data = form.cleaned_data
        RangeOfMotion.objects.update_or_create(
            clinic_id=records.assessment.clinic_id,
            assessment=records.assessment,
            movement_id=data["movement"],
            side=data["side"],
            defaults={"degrees": data["degrees"], "painful": data["painful"]},
        )
    return form


def save_tests(request: HttpRequest, records: Records) -> TestsForm:
    """Record every special test's result in one go."""
    stored = {t.test_id: t.result for t in records.tests}
    form = TestsForm(suggested_tests(records.region), stored, request.POST, prefix="tests")
    if form.is_valid():
        with transaction.atomic():
            for test_id, result in form.results().items():
                SpecialTestResult.objects.update_or_create(
                    clinic_id=records.assessment.clinic_id,
                    assessment=records.assessment,
                    test_id=test_id,
                    defaults={"result": result},
                )
    return form


SAVERS: dict[str, Saver] = {
    "history": save_history,
    "screening": _findings_saver("screening", screening_questions),
    "region": _findings_saver("region", region_questions),
    "chart": save_mark,
    "motion": save_movement,
    "tests": save_tests,
    "notes": save_notes,
}


def section_response(
    request: HttpRequest,
    assessment: Assessment,
    section: str,
    bound: dict[str, AnyForm] | None = None,
) -> HttpResponse:
    """After a save: the section and the panel for htmx, or the page (or a redirect) without."""
    status = 422 if bound else 200
    if not getattr(request, "htmx", False) and not bound:
        return redirect(f"{assessment.get_absolute_url()}#section-{section}")
    fresh = get_assessment(request, assessment.pk)
    context = page_context(request, load_records(fresh), bound)
    if not getattr(request, "htmx", False):
        return render(request, "assessments/assessment_detail.html", context, status=status)
    context["section"] = section
    return render(request, "assessments/_section_response.html", context, status=status)


@clinical_required
@require_POST
def save_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Save one section of the assessment; the panel is refreshed with it."""
    saver = SAVERS.get(section)
    if saver is None:
        raise Http404("No such section")
    assessment = get_assessment(request, pk)
    records = load_records(assessment)
    form = saver(request, records)
    bound = None if form.is_valid() else {section: form}
    return section_response(request, assessment, section, bound)


@clinical_required
@require_POST
def delete_mark(request: HttpRequest, pk: int, mark_id: int) -> HttpResponse:
    """Remove a body-chart mark entered by mistake."""
    assessment = get_assessment(request, pk)
    mark = get_object_or_404(
        BodyChartMark, pk=mark_id, assessment=assessment, clinic_id=assessment.clinic_id
    )
    mark.delete()
    return section_response(request, assessment, "chart")

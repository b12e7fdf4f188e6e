"""Rehab pages: build an episode's programme, print it, and the client's read-only link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from softtissue.accounts.access import clinical_required
from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.assessments.views import current_therapist
from softtissue.pdf import PdfTooSlow, pdf_bytes
from softtissue.rehab.catalogue import Exercise, exercises, regions, rehab_phases, search
from softtissue.rehab.forms import (
    AddExerciseForm,
    ExerciseSearchForm,
    NotesForm,
    PrescribedExerciseForm,
    TickForm,
)
from softtissue.rehab.models import PrescribedExercise, Programme, ProgrammeLink
from softtissue.rehab.services import (
    Adherence,
    adherence,
    create_link,
    done_on,
    move,
    prescribe,
    record_session,
)
from softtissue.tokens import token_hash


def own_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The episode, if it belongs to the user's clinic; 404 for anyone else's."""
    return get_object_or_404(
        Episode.objects.select_related("client", "therapist__user"),
        pk=episode_id,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def own_prescribed(
    request: HttpRequest, episode: Episode, prescribed_id: int
) -> PrescribedExercise:
    """A prescribed exercise of this episode's programme in the user's clinic, or 404."""
    return get_object_or_404(
        PrescribedExercise,
        pk=prescribed_id,
        clinic=request.clinic,  # type: ignore[attr-defined]
        programme__episode=episode,
    )


def programme_of(episode: Episode) -> Programme | None:
    """The episode's programme, if one has been started."""
    return Programme.objects.filter(episode=episode).first()


@dataclass(frozen=True, slots=True)
class Row:
    """One prescribed exercise on the programme page."""

    prescribed: PrescribedExercise
    exercise: Exercise | None
    form: PrescribedExerciseForm
    adherence: Adherence | None


def render_programme(
    request: HttpRequest,
    episode: Episode,
    add_form: AddExerciseForm | None = None,
    row_form: tuple[int, PrescribedExerciseForm] | None = None,
    notes_form: NotesForm | None = None,
) -> HttpResponse:
    """The programme page with the builder; bound forms that failed are shown with their errors."""
    programme = programme_of(episode)
    catalogue = exercises()
    phases = rehab_phases(episode.condition)
    criteria = {phase.phase: phase for phase in phases}
    counts = adherence(programme, timezone.localdate()) if programme else {}
    rows = []
    for prescribed in programme.exercises.all() if programme else ():
        form = PrescribedExerciseForm(instance=prescribed, prefix=f"ex{prescribed.pk}")
        if row_form is not None and row_form[0] == prescribed.pk:
            form = row_form[1]
        rows.append(
            Row(prescribed, catalogue.get(prescribed.exercise), form, counts.get(prescribed.pk))
        )
    used_phases = sorted({row.prescribed.phase for row in rows})
    # By default, the episode's region (or every exercise when that region has none).
    region = episode.region if episode.region in regions() else ""
    filters = ExerciseSearchForm(request.GET or {"region": region})
    results = []
    if filters.is_valid():
        data = filters.cleaned_data
        results = search(data["region"], data["purpose"], data["q"])
    context: dict[str, Any] = {
        "episode": episode,
        "client": episode.client,
        "programme": programme,
        "rows": rows,
        "phases": phases,
        "criteria": [(n, criteria.get(n)) for n in used_phases],
        "filters": filters,
        "results": results,
        "add_form": add_form,
        "notes_form": notes_form or NotesForm(instance=programme),
        "phase_numbers": range(1, max([len(phases), *used_phases, 1]) + 1),
    }
    failed = add_form is not None or row_form is not None or notes_form is not None
    return render(request, "rehab/programme.html", context, status=400 if failed else 200)


@clinical_required
def programme_detail(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The episode's programme, adherence, the criteria to progress, and the builder."""
    return render_programme(request, own_episode(request, episode_id))


@clinical_required
@require_POST
def add_exercise(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Prescribe one exercise from the knowledge base; an unknown id is refused."""
    episode = own_episode(request, episode_id)
    form = AddExerciseForm(request.POST)
    if not form.is_valid():
        return render_programme(request, episode, add_form=form)
    prescribed = prescribe(
        episode,
        current_therapist(request),
        form.cleaned_data["exercise"],
        form.cleaned_data["phase"],
        form.cleaned_data["dosage"],
    )
    messages.success(request, f"Added {exercises()[prescribed.exercise].name}.")
    return redirect("programme_detail", episode_id=episode.pk)


@clinical_required
@require_POST
def change_exercise(request: HttpRequest, episode_id: int, prescribed_id: int) -> HttpResponse:
    """Change a prescribed exercise's phase and dosage."""
    episode = own_episode(request, episode_id)
    prescribed = own_prescribed(request, episode, prescribed_id)
    form = PrescribedExerciseForm(request.POST, instance=prescribed, prefix=f"ex{prescribed.pk}")
    if not form.is_valid():
        return render_programme(request, episode, row_form=(prescribed.pk, form))
    form.save()
    messages.success(request, "Saved.")
    return redirect("programme_detail", episode_id=episode.pk)


@clinical_required
@require_POST
def move_exercise(request: HttpRequest, episode_id: int, prescribed_id: int) -> HttpResponse:
    """Move a prescribed exercise one place up or down."""
    episode = own_episode(request, episode_id)
    prescribed = own_prescribed(request, episode, prescribed_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponse("Say up or down.", status=400, content_type="text/plain")
    move(prescribed, -1 if direction == "up" else 1)
    return redirect("programme_detail", episode_id=episode.pk)


@clinical_required
@require_POST
def remove_exercise(request: HttpRequest, episode_id: int, prescribed_id: int) -> HttpResponse:
    """Take an exercise out of the programme, with its adherence log."""
    episode = own_episode(request, episode_id)
    own_prescribed(request, episode, prescribed_id).delete()
    messages.success(request, "Removed.")
    return redirect("programme_detail", episode_id=episode.pk)


@clinical_required
@require_POST
def save_programme_notes(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Keep the notes printed on the client's sheet."""
    episode = own_episode(request, episode_id)
    programme = programme_of(episode)
    if programme is None:
        raise Http404("Add an exercise first.")
    form = NotesForm(request.POST, instance=programme)
    if not form.is_valid():
        return render_programme(request, episode, notes_form=form)
    form.save()
    messages.success(request, "Notes saved.")
    return redirect("programme_detail", episode_id=episode.pk)


def sheet_context(programme: Programme) -> dict[str, Any]:
    """What the client may see: first name, exercises, dosage, equipment, therapist, notes."""
    catalogue = exercises()
    episode = programme.episode
    therapist = programme.therapist or episode.therapist
    return {
        "first_name": episode.client.first_name,
        "therapist_name": str(therapist.user) if therapist else "",
        "notes": programme.notes,
        "items": [
            (prescribed, catalogue[prescribed.exercise])
            for prescribed in programme.exercises.all()
            if prescribed.exercise in catalogue
        ],
    }


def home_programme_html(programme: Programme) -> str:
    """The printable home programme as HTML (the PDF is made from it)."""
    return render_to_string("rehab/home_programme.html", sheet_context(programme))


@clinical_required
def programme_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The home programme as a PDF to print or send to the client."""
    episode = own_episode(request, episode_id)
    programme = programme_of(episode)
    if programme is None or not programme.exercises.exists():
        raise Http404("This episode has no exercises prescribed yet.")
    try:
        pdf = pdf_bytes(home_programme_html(programme))
    except PdfTooSlow as slow:
        return HttpResponse(str(slow), status=503, content_type="text/plain")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="home-exercise-programme.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@clinical_required
@require_POST
def create_programme_link(request: HttpRequest, episode_id: int) -> HttpResponse:
    """A read-only link for the client to see the programme and tick off sessions."""
    episode = own_episode(request, episode_id)
    programme = programme_of(episode)
    if programme is None:
        raise Http404("Add an exercise first.")
    now = timezone.now()
    days = settings.SOFTTISSUE_REHAB_LINK_DAYS
    token = create_link(programme, cast(User, request.user), days, now)
    url = request.build_absolute_uri(reverse("follow_programme", args=[token]))
    return render(
        request,
        "rehab/link_created.html",
        {"episode": episode, "url": url, "expires_at": now + timedelta(days=days)},
    )


def usable_link(token: str) -> ProgrammeLink:
    """The link for this token: 404 when unknown; the caller answers 410 when expired."""
    link = (
        ProgrammeLink.objects.select_related("programme__episode__client")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise Http404("This link is not valid.")
    return link


@require_http_methods(["GET", "POST"])
def follow_programme(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: their programme, read-only, with today's sessions to tick off."""
    link = usable_link(token)
    if link.expires_at <= timezone.now():
        return render(request, "rehab/link_expired.html", status=410)
    programme = link.programme
    today = timezone.localdate()
    if request.method == "POST":
        with transaction.atomic():
            form = TickForm(request.POST)
            prescribed = (
                programme.exercises.filter(pk=form.cleaned_data["exercise"]).first()
                if form.is_valid()
                else None
            )
            if prescribed is None:
                return HttpResponse("Unknown exercise.", status=400, content_type="text/plain")
            record_session(prescribed, today, form.cleaned_data["done"] == "yes")
        return redirect("follow_programme", token=token)
    context = sheet_context(programme)
    context["done"] = done_on(programme, today)
    context["today"] = today
    return render(request, "rehab/follow.html", context)

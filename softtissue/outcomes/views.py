"""Outcome measure pages: give a measure, follow progress, the tablet link, the clinic report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import clinical_required
from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.outcomes.charts import chart_description, progress_svg
from softtissue.outcomes.forms import MeasureChoiceForm, QuestionnaireForm, ReportForm
from softtissue.outcomes.models import QuestionnaireLink
from softtissue.outcomes.report import CohortRow, cohort
from softtissue.outcomes.services import (
    create_link,
    definitions,
    link_state,
    progress,
    record_administration,
)
from softtissue.reasoning.measures import AnswerError, MeasureDefinition
from softtissue.spreadsheets import SafeWriter
from softtissue.tokens import token_hash


def own_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The episode, if it belongs to the user's clinic; 404 for anyone else's."""
    return get_object_or_404(
        Episode.objects.select_related("client"),
        pk=episode_id,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


def known_measure(measure: str) -> MeasureDefinition:
    """The measure's definition, or 404 for an id the knowledge base does not know."""
    definition = definitions().get(measure)
    if definition is None:
        raise Http404("Unknown outcome measure")
    return definition


@clinical_required
def episode_measures(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Every measure given in the episode: score, band, change since baseline and a chart."""
    episode = own_episode(request, episode_id)
    names = {key: d.name for key, d in definitions().items()}
    entries = [(row, chart_description(row)) for row in progress(episode)]
    return render(
        request,
        "outcomes/episode_measures.html",
        {"episode": episode, "entries": entries, "choose": MeasureChoiceForm(names)},
    )


@clinical_required
def choose_measure(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Send the therapist to the form of the measure they picked."""
    own_episode(request, episode_id)
    form = MeasureChoiceForm({k: d.name for k, d in definitions().items()}, request.GET)
    if not form.is_valid():
        return redirect("episode_measures", episode_id=episode_id)
    return redirect(
        "administer_measure", episode_id=episode_id, measure=form.cleaned_data["measure"]
    )


@clinical_required
def administer_measure(request: HttpRequest, episode_id: int, measure: str) -> HttpResponse:
    """The therapist enters a completed questionnaire (from the licensed paper form)."""
    episode = own_episode(request, episode_id)
    definition = known_measure(measure)
    form = QuestionnaireForm(definition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_administration(
                episode, measure, form.answers(), entered_by=cast(User, request.user)
            )
        except AnswerError as error:
            form.add_error(None, str(error))
        else:
            return redirect("episode_measures", episode_id=episode.pk)
    return render(
        request,
        "outcomes/administer.html",
        {"episode": episode, "definition": definition, "form": form},
    )


@clinical_required
@require_POST
def create_questionnaire_link(request: HttpRequest, episode_id: int, measure: str) -> HttpResponse:
    """A single-use link for the client to fill this one questionnaire on the clinic's tablet."""
    episode = own_episode(request, episode_id)
    definition = known_measure(measure)
    token, link = create_link(
        episode,
        measure,
        cast(User, request.user),  # clinical_required let only logged-in users through
        settings.QUESTIONNAIRE_LINK_MINUTES,
    )
    url = request.build_absolute_uri(reverse("fill_questionnaire", args=[token]))
    return render(
        request,
        "outcomes/link_created.html",
        {"episode": episode, "definition": definition, "url": url, "link": link},
    )


def fill_questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: one questionnaire, nothing else, until it is used or expires."""
    link = (
        QuestionnaireLink.objects.select_related("episode")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise Http404("This link is not valid.")
    state = link_state(link, timezone.now())
    if state != "usable":
        return render(request, "outcomes/link_unavailable.html", {"state": state}, status=410)
    definition = known_measure(link.measure)
    form = QuestionnaireForm(definition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Locked so that two taps on "Send" cannot record the questionnaire twice.
            locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
            if link_state(locked, timezone.now()) != "usable":
                return render(
                    request, "outcomes/link_unavailable.html", {"state": "used"}, status=410
                )
            try:
                record_administration(
                    locked.episode,
                    locked.measure,
                    form.answers(),
                    entered_by=None,
                    client_reported=True,
                    link=locked,
                )
            except AnswerError as error:
                form.add_error(None, str(error))
            else:
                return render(request, "outcomes/questionnaire_done.html")
    return render(request, "outcomes/questionnaire.html", {"definition": definition, "form": form})


@clinical_required
def measure_chart(request: HttpRequest, episode_id: int, measure: str) -> HttpResponse:
    """The progress chart of one measure in the episode, as SVG."""
    episode = own_episode(request, episode_id)
    known_measure(measure)
    rows = [row for row in progress(episode) if row.definition.key == measure]
    if not rows:
        raise Http404("This measure has not been given in this episode.")
    response = HttpResponse(progress_svg(rows[0]), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@clinical_required
def outcomes_report(request: HttpRequest) -> HttpResponse:
    """Per measure and condition over a period: episodes, median baseline and change, MCID share."""
    today = timezone.localdate()
    initial = {"start": today - timedelta(days=365), "end": today}
    form = ReportForm(request.GET or initial)
    rows = []
    if form.is_valid():
        rows = cohort(request.clinic, form.cleaned_data["start"], form.cleaned_data["end"])  # type: ignore[attr-defined]
        if request.GET.get("format") == "csv":
            return report_csv(rows, form.cleaned_data["start"], form.cleaned_data["end"])
    context = {"form": form, "rows": rows}
    return render(request, "outcomes/report.html", context, status=400 if form.errors else 200)


CSV_COLUMNS = (
    "measure",
    "condition",
    "condition_id",
    "episodes",
    "followed_up",
    "median_baseline",
    "median_change",
    "reached_mcid",
    "share_reached_mcid",
)


def optional(value: float | None, places: int) -> Decimal | str:
    """A number with fixed decimals, or an empty cell."""
    return "" if value is None else Decimal(f"{value:.{places}f}")


def report_csv(rows: list[CohortRow], start: date, end: date) -> HttpResponse:
    """The report as a CSV download (no client identifiers: aggregates only)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{start}-to-{end}.csv"'
    writer = SafeWriter(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.measure,
                row.condition_name,
                row.condition,
                row.episodes,
                row.followed_up,
                optional(row.median_baseline, 2),
                optional(row.median_change, 2),
                row.reached_mcid,
                optional(row.share_reached_mcid, 3),
            ]
        )
    return response

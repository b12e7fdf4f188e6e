"""Episodes: open one for a client, see it, discharge it; start an assessment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import clinical_required
from softtissue.accounts.models import Membership, Therapist
from softtissue.assessments.forms import DischargeForm, EpisodeForm, ImpressionForm
from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.questions import region_label
from softtissue.clients.consent import has_consent
from softtissue.clients.models import Client


def current_therapist(request: HttpRequest) -> Therapist | None:
    """The logged-in user's therapist profile in this clinic, if they have one."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return Therapist.objects.filter(
        user_id=membership.user_id, clinic_id=membership.clinic_id
    ).first()


@clinical_required
def open_episode(request: HttpRequest, client_id: int) -> HttpResponse:
    """Open an episode of care for a new presenting problem."""
    client = get_object_or_404(Client, pk=client_id, clinic=request.clinic)  # type: ignore[attr-defined]
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        episode = form.save(commit=False)
        episode.clinic = request.clinic  # type: ignore[attr-defined]
        episode.client = client
        episode.therapist = current_therapist(request)
        episode.save()
        return redirect(episode)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "assessments/episode_form.html", {"form": form, "client": client}, status=status
    )


def render_episode(
    request: HttpRequest,
    episode: Episode,
    discharge_form: DischargeForm | None = None,
    impression_form: ImpressionForm | None = None,
) -> HttpResponse:
    """The episode page, with a bound discharge form when one failed."""
    assessments = list(
        Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode).select_related(
            "therapist__user"
        )
    )
    context = {
        "episode": episode,
        "client": episode.client,
        "region_label": region_label(episode.region),
        "assessments": assessments,
        "consented": has_consent(episode.client, "assessment_treatment"),
        "discharge_form": discharge_form or DischargeForm(),
        "impression_form": impression_form
        or ImpressionForm(episode.region, initial={"condition": episode.condition}),
    }
    status = 400 if discharge_form is not None or impression_form is not None else 200
    return render(request, "assessments/episode_detail.html", context, status=status)


def get_episode(request: HttpRequest, pk: int) -> Episode:
    """The clinic's episode, or 404."""
    return get_object_or_404(
        Episode.objects.select_related("client"),
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


@clinical_required
def episode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An episode: its problem, its assessments, and discharge."""
    return render_episode(request, get_episode(request, pk))


@clinical_required
@require_POST
def discharge_episode(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the episode, with the reason."""
    episode = get_episode(request, pk)
    if not episode.is_open:
        messages.info(request, "This episode was already discharged.")
        return redirect(episode)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        return render_episode(request, episode, form)
    episode.discharged_at = timezone.now()
    episode.discharge_reason = form.cleaned_data["reason"]
    episode.save(update_fields=["discharged_at", "discharge_reason"])
    messages.success(request, "Episode discharged.")
    return redirect(episode)


@clinical_required
@require_POST
def record_impression(request: HttpRequest, pk: int) -> HttpResponse:
    """Record which condition the therapist is treating in this episode."""
    episode = get_episode(request, pk)
    form = ImpressionForm(episode.region, request.POST)
    if not form.is_valid():
        return render_episode(request, episode, impression_form=form)
    episode.condition = form.cleaned_data["condition"]
    episode.save(update_fields=["condition"])
    messages.success(request, "Working impression recorded.")
    return redirect(episode)


@clinical_required
@require_POST
def start_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an assessment, refused without current consent to assessment and treatment."""
    episode = get_episode(request, pk)
    if not has_consent(episode.client, "assessment_treatment"):
        messages.error(
            request,
            "The client has not consented to assessment and treatment: record their consent "
            "on the client page before starting an assessment.",
        )
        return redirect(episode)
    if not episode.is_open:
        messages.error(request, "This episode is discharged: open a new episode to assess.")
        return redirect(episode)
    earlier = Assessment.objects.filter(clinic_id=episode.clinic_id, episode=episode).exists()
    assessment = Assessment.objects.create(
        clinic_id=episode.clinic_id,
        episode=episode,
        therapist=current_therapist(request),
        kind=Assessment.Kind.REASSESSMENT if earlier else Assessment.Kind.INITIAL,
    )
    return redirect(assessment)

"""Letters pages: draft and keep a letter, read it, download its PDF; compare assessments."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from softtissue.accounts.access import clinical_required
from softtissue.assessments.models import Episode
from softtissue.assessments.views import current_therapist
from softtissue.clients.consent import has_consent
from softtissue.letters import compare, drafts
from softtissue.letters.forms import LetterForm
from softtissue.letters.models import Letter
from softtissue.letters.services import (
    NO_CONSENT,
    ConsentRefused,
    PdfTooSlow,
    keep_letter,
    letterhead,
)


def get_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The clinic's episode with its client, or 404."""
    return get_object_or_404(
        Episode.objects.select_related("client"),
        pk=episode_id,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


@clinical_required
def create_letter(request: HttpRequest, episode_id: int) -> HttpResponse:
    """A draft letter from the record (GET); render, keep and show it (POST)."""
    episode = get_episode(request, episode_id)
    kind = request.GET.get("kind", "")
    if kind not in Letter.Kind.values:
        raise Http404("Unknown kind of letter")
    therapist = current_therapist(request)
    if request.method == "POST":
        form = LetterForm(kind, request.POST)
        if form.is_valid():
            try:
                letter = keep_letter(
                    episode,
                    kind,
                    {name: str(value) for name, value in form.cleaned_data.items()},
                    request.user,  # type: ignore[arg-type]
                    therapist,
                    timezone.now(),
                )
            except (ConsentRefused, PdfTooSlow) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"{letter.get_kind_display()} written and kept.")
                return redirect(letter)
    else:
        record = drafts.gather(episode, therapist, timezone.localdate())
        form = LetterForm(kind, initial=drafts.draft(kind, record, therapist))
    context = {
        "episode": episode,
        "client": episode.client,
        "kind": Letter.Kind(kind),
        "form": form,
        "head": letterhead(therapist),
        "consented": has_consent(episode.client, "share_with_gp"),
        "no_consent": NO_CONSENT,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "letters/letter_form.html", context, status=status)


def get_letter(request: HttpRequest, pk: int) -> Letter:
    """The clinic's letter, or 404."""
    return get_object_or_404(
        Letter.objects.select_related("episode__client", "therapist__user", "created_by"),
        pk=pk,
        clinic=request.clinic,  # type: ignore[attr-defined]
    )


@clinical_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A kept letter, as it was written, with its PDF to download."""
    letter = get_letter(request, pk)
    context = {
        "letter": letter,
        "episode": letter.episode,
        "client": letter.episode.client,
        "body": kept_body(letter),
    }
    return render(request, "letters/letter_detail.html", context)


def kept_body(letter: Letter) -> SafeString:
    """The body of the kept HTML: rendered by our own escaping template, so safe to show."""
    inner = letter.html.split("<body>", 1)[-1].split("</body>", 1)[0]
    return mark_safe(inner)  # noqa: S308


@clinical_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The kept PDF, byte for byte, under a name that carries no health data."""
    letter = get_letter(request, pk)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@clinical_required
def compare_assessments(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The first and the latest assessment of the episode side by side."""
    episode = get_episode(request, episode_id)
    context = {"episode": episode, "client": episode.client, "c": compare.compare(episode)}
    return render(request, "letters/compare.html", context)

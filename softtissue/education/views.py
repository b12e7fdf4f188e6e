"""Leaflets: browse, search, print, and record as given to a client."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import clinical_required, member_required
from softtissue.accounts.models import Membership
from softtissue.clients.views import client_queryset, render_detail
from softtissue.education.forms import GiveLeafletForm
from softtissue.education.leaflets import all_tags, find_leaflets, leaflet_for
from softtissue.education.models import LeafletGiven


@member_required
def leaflet_list(request: HttpRequest) -> HttpResponse:
    """Every condition leaflet, searchable by text and filterable by tag."""
    text = request.GET.get("q", "")[:200]
    tag = request.GET.get("tag", "")[:100]
    context = {"leaflets": find_leaflets(text, tag), "tags": all_tags(), "q": text, "tag": tag}
    if getattr(request, "htmx", False):
        return render(request, "education/_leaflets.html", context)
    return render(request, "education/leaflet_list.html", context)


@member_required
def leaflet_detail(request: HttpRequest, condition_id: str) -> HttpResponse:
    """One leaflet, laid out to print."""
    leaflet = leaflet_for(condition_id)
    if leaflet is None:
        raise Http404("No such leaflet")
    return render(request, "education/leaflet_detail.html", {"leaflet": leaflet})


@clinical_required
@require_POST
def give_leaflet(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the client was given a leaflet."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    client = get_object_or_404(client_queryset(membership.clinic, True), pk=pk)
    form = GiveLeafletForm(request.POST)
    if not form.is_valid():
        return render_detail(request, client, True, 400, leaflet_form=form)
    LeafletGiven.objects.create(
        clinic=membership.clinic,
        client=client,
        condition_id=form.cleaned_data["condition_id"],
        given_at=timezone.now(),
        given_by=membership.user,
    )
    return redirect(f"{client.get_absolute_url()}#leaflets")

"""Medical history and medications: added as typed, coded where they match, ended not deleted."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import clinical_required
from softtissue.accounts.models import Membership
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import record_rows
from softtissue.clients.coding import match_history, match_medication
from softtissue.clients.forms import HistoryItemForm, MedicationForm
from softtissue.clients.models import MedicalHistoryItem, Medication
from softtissue.clients.views import client_queryset, render_detail


@clinical_required
@require_POST
def add_history_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a medical-history item, coded to the knowledge when it matches."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    client = get_object_or_404(client_queryset(membership.clinic, True), pk=pk)
    form = HistoryItemForm(request.POST)
    if not form.is_valid():
        return render_detail(request, client, True, 400, history_form=form)
    description = form.cleaned_data["description"]
    MedicalHistoryItem.objects.create(
        clinic=membership.clinic,
        client=client,
        finding_code=match_history(description),
        description=description,
        recorded_at=timezone.now(),
        recorded_by=membership.user,
    )
    return redirect(f"{client.get_absolute_url()}#history")


@clinical_required
@require_POST
def end_history_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Mark a history item as no longer current; it stays in the record."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    item = get_object_or_404(MedicalHistoryItem, pk=item_pk, client_id=pk, clinic=membership.clinic)
    if MedicalHistoryItem.objects.filter(pk=item.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=membership.user
    ):
        record_rows(AuditEvent.Action.UPDATE, [item])  # update() sends no signal
    return redirect(f"{item.client.get_absolute_url()}#history")


@clinical_required
@require_POST
def add_medication(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a medicine, coded to the knowledge when it matches."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    client = get_object_or_404(client_queryset(membership.clinic, True), pk=pk)
    form = MedicationForm(request.POST)
    if not form.is_valid():
        return render_detail(request, client, True, 400, medication_form=form)
    name = form.cleaned_data["name"]
    Medication.objects.create(
        clinic=membership.clinic,
        client=client,
        knowledge_id=match_medication(name),
        name=name,
        dose=form.cleaned_data["dose"],
        recorded_at=timezone.now(),
        recorded_by=membership.user,
    )
    return redirect(f"{client.get_absolute_url()}#medications")


@clinical_required
@require_POST
def end_medication(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Mark a medicine as stopped; it stays in the record."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    medication = get_object_or_404(Medication, pk=item_pk, client_id=pk, clinic=membership.clinic)
    if Medication.objects.filter(pk=medication.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=membership.user
    ):
        record_rows(AuditEvent.Action.UPDATE, [medication])  # update() sends no signal
    return redirect(f"{medication.client.get_absolute_url()}#medications")

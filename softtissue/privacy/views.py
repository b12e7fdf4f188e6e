"""Owner pages: the retention report, a client's privacy page, legal holds, erasure and SAR."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.audit.models import AuditEvent
from softtissue.audit.owner import owner_required
from softtissue.audit.recording import record
from softtissue.clients.models import Client
from softtissue.privacy import erasure
from softtissue.privacy.forms import EraseForm, LegalHoldForm, LiftHoldForm
from softtissue.privacy.models import LegalHold
from softtissue.privacy.retention import client_retention, due_for_erasure, policy


@owner_required
def retention_report(request: HttpRequest) -> HttpResponse:
    """Records past their retention date with no active legal hold, and the holds in force."""
    clinic = request.clinic  # type: ignore[attr-defined]
    today = timezone.localdate()
    holds = (
        LegalHold.objects.filter(clinic=clinic, lifted_at__isnull=True)
        .select_related("client", "placed_by")
        .order_by("placed_at")
    )
    return render(
        request,
        "privacy/retention_report.html",
        {
            "due": due_for_erasure(clinic, today),
            "holds": holds,
            "today": today,
            "years": policy()[0],
            "child_age": policy()[1],
        },
    )


def privacy_page(
    request: HttpRequest,
    client: Client,
    hold_form: LegalHoldForm | None = None,
    erase_form: EraseForm | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "privacy/client_privacy.html",
        {
            "client": client,
            "retention": client_retention(client),
            "blocked": refusal or erasure.refusal(client, today),
            "refused": refusal,
            "holds": client.legal_holds.select_related("placed_by", "lifted_by"),
            "hold_form": hold_form or LegalHoldForm(),
            "erase_form": erase_form or EraseForm(),
        },
        status=status,
    )


@owner_required
def client_privacy(request: HttpRequest, client_id: int) -> HttpResponse:
    """One client's retention date, legal holds, subject access export and erasure."""
    client = get_object_or_404(Client, pk=client_id, clinic=request.clinic)  # type: ignore[attr-defined]
    return privacy_page(request, client)


@owner_required
@require_POST
def place_legal_hold(request: HttpRequest, client_id: int) -> HttpResponse:
    """Keep this client's record, whatever its retention date, until the hold is lifted."""
    client = get_object_or_404(Client, pk=client_id, clinic=request.clinic)  # type: ignore[attr-defined]
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return privacy_page(request, client, hold_form=form, status=400)
    hold = LegalHold.objects.create(
        clinic=client.clinic,
        client=client,
        reason=form.cleaned_data["reason"],
        placed_by=request.user,  # type: ignore[misc]
    )
    record(
        AuditEvent.Action.HOLD,
        object_type="privacy.LegalHold",
        object_id=hold.pk,
        client_id=client.pk,
    )
    messages.success(request, "Legal hold placed: this record cannot be erased until it is lifted.")
    return redirect("client_privacy", client_id=client.pk)


@owner_required
@require_POST
def lift_legal_hold(request: HttpRequest, client_id: int) -> HttpResponse:
    """End a legal hold (its number in the form); the record's retention date applies again."""
    client = get_object_or_404(Client, pk=client_id, clinic=request.clinic)  # type: ignore[attr-defined]
    form = LiftHoldForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which legal hold to lift: the form sends its number.")
    hold = get_object_or_404(
        LegalHold, pk=form.cleaned_data["hold"], client=client, clinic=client.clinic
    )
    if hold.is_active:
        hold.lifted_at = timezone.now()
        hold.lifted_by = request.user  # type: ignore[assignment]
        hold.save(update_fields=["lifted_at", "lifted_by"])
        record(
            AuditEvent.Action.RELEASE,
            object_type="privacy.LegalHold",
            object_id=hold.pk,
            client_id=client_id,
        )
        messages.success(request, "Legal hold lifted.")
    return redirect("client_privacy", client_id=client_id)


@owner_required
@require_POST
def erase_client(request: HttpRequest, client_id: int) -> HttpResponse:
    """Erase the whole record on the client's request: refused within retention or under hold."""
    clinic = request.clinic  # type: ignore[attr-defined]
    client = get_object_or_404(Client, pk=client_id, clinic=clinic)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return privacy_page(request, client, erase_form=form, status=400)
    try:
        erasure.erase_client(
            client.pk,
            clinic,
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["confirm_name"],
            timezone.localdate(),
        )
    except erasure.ErasureRefused as refused:
        return privacy_page(request, client, erase_form=form, refusal=str(refused), status=409)
    messages.success(request, f"Client {client_id}'s record was erased.")
    return redirect("retention_report")


@owner_required
def subject_access_export(request: HttpRequest, client_id: int) -> HttpResponse:
    """Everything held about the client in one ZIP (PDF summary, JSON, FHIR, letters)."""
    from softtissue.privacy.sar import subject_access_zip

    client = get_object_or_404(Client, pk=client_id, clinic=request.clinic)  # type: ignore[attr-defined]
    data = subject_access_zip(client)
    record(
        AuditEvent.Action.EXPORT,
        object_type="clients.Client",
        object_id=client.pk,
        client_id=client.pk,
    )
    response = HttpResponse(data, content_type="application/zip")
    # A neutral file name: the client's name stays out of download folders' listings.
    response["Content-Disposition"] = f'attachment; filename="subject-access-{client.pk}.zip"'
    return response

"""The owner's list of every scope override in the clinic: page through, download as CSV."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.audit.models import AuditEvent
from softtissue.audit.owner import owner_required
from softtissue.audit.recording import record
from softtissue.spreadsheets import Echo, SafeWriter
from softtissue.treatments.models import Override

PAGE_SIZE = 50
CSV_COLUMNS = (
    "at",
    "therapist",
    "therapist_email",
    "client_number",
    "client_name",
    "plan_id",
    "plan_of",
    "outcome_overridden",
    "reasons_overridden",
    "reason",
)


def clinic_overrides(clinic: Clinic) -> QuerySet[Override]:
    """The clinic's overrides with who made them and on whose plan, newest first."""
    return (
        Override.objects.filter(clinic=clinic)
        .select_related("by", "plan__episode__client")
        .order_by("-at", "-pk")
    )


@owner_required
def list_overrides(request: HttpRequest) -> HttpResponse:
    """Every override of the scope gate in this clinic, 50 a page, newest first."""
    overrides = clinic_overrides(request.clinic)  # type: ignore[attr-defined]
    page = Paginator(overrides, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "treatments/override_list.html", {"page": page})


def csv_rows(overrides: QuerySet[Override]) -> Iterator[str]:
    """The header, then one row per override; every field quoted and guarded (reasons and
    names are typed by people)."""
    writer = SafeWriter(Echo())
    yield writer.writerow(CSV_COLUMNS)
    for override in overrides.iterator(chunk_size=2000):
        client = override.plan.episode.client
        reasons = " ".join(str(item.get("reason", "")) for item in override.reasons)
        row = [
            timezone.localtime(override.at).isoformat(),
            override.by.get_full_name() or override.by.email,
            override.by.email,
            client.pk,
            client.full_name,
            override.plan_id,
            override.plan.created_at.date().isoformat(),
            override.outcome,
            reasons,
            override.reason,
        ]
        yield writer.writerow(row)


@owner_required
def export_overrides(request: HttpRequest) -> HttpResponseBase:
    """Every override of the clinic as CSV; the export itself is an audit event."""
    overrides = clinic_overrides(request.clinic)  # type: ignore[attr-defined]
    record(AuditEvent.Action.EXPORT, object_type=Override._meta.label)
    response = StreamingHttpResponse(csv_rows(overrides), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overrides-{timezone.localdate()}.csv"'
    return response

"""The owner's audit log: filter, page through, download as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.audit.forms import AuditFilterForm
from softtissue.audit.models import AuditEvent
from softtissue.audit.owner import owner_required
from softtissue.audit.recording import record
from softtissue.spreadsheets import csv_lines

PAGE_SIZE = 50
CSV_COLUMNS = (
    "at",
    "user",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "url_name",
    "method",
    "status_code",
    "remote_addr",
    "user_agent",
)


def filtered_events(clinic: Clinic, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The clinic's events matching the valid filters, newest first."""
    events = AuditEvent.objects.filter(clinic=clinic).select_related("user")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data.get("user"):
        events = events.filter(user=data["user"])
    if data.get("client"):
        events = events.filter(client_id=data["client"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("object_type"):
        events = events.filter(object_type=data["object_type"])
    zone = timezone.get_current_timezone()
    if data.get("start"):
        events = events.filter(at__gte=datetime.combine(data["start"], time.min, zone))
    if data.get("end"):
        next_day = data["end"] + timedelta(days=1)
        events = events.filter(at__lt=datetime.combine(next_day, time.min, zone))
    return events.order_by("-at", "-pk")


@owner_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who viewed or changed what in this clinic, filtered, 50 events a page."""
    clinic = request.clinic  # type: ignore[attr-defined]
    form = AuditFilterForm(clinic, request.GET)
    events = filtered_events(clinic, form)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The header, then one row per event; every field quoted and guarded (a browser's name is
    typed by anyone)."""
    return csv_lines(
        CSV_COLUMNS,
        (
            [
                event.at.isoformat(),
                event.user.email if event.user else "",
                event.action,
                event.object_type,
                event.object_id or "",
                event.client_id or "",
                event.url_name,
                event.method,
                event.status_code or "",
                event.remote_addr or "",
                event.user_agent,
            ]
            for event in events.iterator(chunk_size=2000)
        ),
    )


@owner_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as CSV; the export itself is an event."""
    clinic = request.clinic  # type: ignore[attr-defined]
    form = AuditFilterForm(clinic, request.GET)
    if not form.is_valid():
        return render(
            request,
            "audit/audit_log.html",
            {"form": form, "page": None, "query": ""},
            status=400,
        )
    events = filtered_events(clinic, form)
    record(AuditEvent.Action.EXPORT, object_type="audit.AuditEvent")
    response = StreamingHttpResponse(csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate()}.csv"'
    return response

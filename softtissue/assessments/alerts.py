"""Red-flag alerts for the client page, from the triage of the client's latest assessment."""

from __future__ import annotations

from django.utils import timezone

from softtissue.assessments.models import Assessment, Episode
from softtissue.assessments.panel import assessment_findings, load_records
from softtissue.assessments.questions import kb
from softtissue.clients.alerts import Alert, Severity
from softtissue.clients.models import Client
from softtissue.reasoning import triage

URGENCY_SEVERITY: dict[str, Severity] = {
    "refer_emergency": "stop",
    "refer_urgent": "stop",
    "refer_soon": "stop",
    "refer_routine": "warning",
}


def red_flag_alerts(client: Client) -> list[Alert]:
    """One alert per red flag raised by the client's most recent assessment."""
    # The client's episodes as a subquery: with a join on the episode, SQLite (before ANALYZE)
    # walked every assessment of the clinic (48 ms at 100,000 clients instead of under 1 ms).
    episodes = Episode.objects.filter(clinic_id=client.clinic_id, client=client).values("pk")
    latest = (
        Assessment.objects.filter(clinic_id=client.clinic_id, episode__in=episodes)
        .select_related("episode__client")
        .order_by("-started_at", "-pk")
        .first()
    )
    if latest is None:
        return []
    records = load_records(latest)
    findings = assessment_findings(records, timezone.localdate())
    return [
        Alert(
            severity=URGENCY_SEVERITY.get(flag.urgency, "warning"),
            title=f"Red flag: {kb().red_flags[flag.rule_id]['name']}",
            detail=f"{flag.message} Refer: {flag.referral}.",
            sources=flag.sources,
        )
        for flag in triage(findings, kb()).flags
    ]

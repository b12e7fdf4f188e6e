"""The tablet intake link: single use, expiring, kept as a hash; answers are client-reported."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from softtissue.accounts.access import member_required
from softtissue.accounts.models import Membership, User
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import record_rows
from softtissue.clients.coding import history_terms, match_medication
from softtissue.clients.forms import CONTACT_FIELDS, IntakeForm
from softtissue.clients.models import Client, Consent, IntakeLink, MedicalHistoryItem, Medication
from softtissue.tokens import new_token, token_hash


def issue_intake_link(client: Client, created_by: User | None = None) -> tuple[str, IntakeLink]:
    """A new link for this client: the token (shown once) and its stored record."""
    token, hashed = new_token()
    now = timezone.now()
    link = IntakeLink.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        token_hash=hashed,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.SOFTTISSUE_INTAKE_LINK_MINUTES),
        created_by=created_by,
    )
    return token, link


@member_required
@require_POST
def create_intake_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a tablet link for the client and show it once (only its hash is kept)."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    client = get_object_or_404(Client, pk=pk, clinic=membership.clinic)
    token, link = issue_intake_link(client, membership.user)
    url = request.build_absolute_uri(reverse("intake_form", args=[token]))
    response = render(
        request, "clients/intake_link.html", {"client": client, "link": link, "url": url}
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def intake_form(request: HttpRequest, token: str) -> HttpResponse:
    """The client's own form on the tablet: nothing else of the record is shown."""
    link = IntakeLink.objects.select_related("client").filter(token_hash=token_hash(token)).first()
    if link is None:
        return render(request, "clients/intake_gone.html", {"reason": "unknown"}, status=404)
    if link.used_at is not None or link.expires_at <= timezone.now():
        reason = "used" if link.used_at is not None else "expired"
        return render(request, "clients/intake_gone.html", {"reason": reason}, status=410)
    client = link.client
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not save_intake(link, form):
            return render(request, "clients/intake_gone.html", {"reason": "used"}, status=410)
        return render(request, "clients/intake_done.html", {"first_name": client.first_name})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clients/intake_form.html",
        {"form": form, "first_name": client.first_name},
        status=status,
    )


@transaction.atomic
def save_intake(link: IntakeLink, form: IntakeForm) -> bool:
    """Write the answers back as client-reported; False when the link was used meanwhile."""
    now = timezone.now()
    # Claiming the link and saving happen in one transaction, so two submissions cannot both win.
    claimed = IntakeLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now)
    if claimed.update(used_at=now) != 1:
        return False
    link.used_at = now
    client = link.client
    for field in CONTACT_FIELDS:
        # The form shows nothing of the record, so a box left blank keeps the stored value.
        if form.cleaned_data[field]:
            setattr(client, field, form.cleaned_data[field])
    client.save()
    labels = {term.code: term.label for term in history_terms()}
    history = MedicalHistoryItem.objects.bulk_create(
        MedicalHistoryItem(
            clinic_id=link.clinic_id,
            client=client,
            finding_code=code,
            description=labels[code],
            client_reported=True,
            recorded_at=now,
        )
        for code in form.cleaned_data["history"]
    )
    medicines = Medication.objects.bulk_create(
        Medication(
            clinic_id=link.clinic_id,
            client=client,
            knowledge_id=match_medication(line),
            name=line,
            client_reported=True,
            recorded_at=now,
        )
        for line in form.medication_lines()
    )
    consents = Consent.objects.bulk_create(
        Consent(
            clinic_id=link.clinic_id,
            client=client,
            kind=kind,
            given=given,
            method=Consent.Method.TABLET,
            signed_name=form.cleaned_data["signed_name"],
            recorded_at=now,
        )
        for kind, given in form.consent_answers().items()
    )
    # bulk_create and update() send no signal: the rows' events are written here.
    record_rows(AuditEvent.Action.UPDATE, [link])
    record_rows(AuditEvent.Action.CREATE, [*history, *medicines, *consents])
    return True

"""Client list and search, create and edit, the client page, and consent."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softtissue.accounts.access import member_required
from softtissue.accounts.models import Clinic, Membership
from softtissue.audit.edits import editable_copy, save_changes, track_changes
from softtissue.clients import services
from softtissue.clients.alerts import client_alerts
from softtissue.clients.coding import history_terms, medication_terms
from softtissue.clients.consent import current_consents, keep_consent
from softtissue.clients.forms import (
    ClientForm,
    ConsentForm,
    HistoryItemForm,
    MedicationForm,
    NewClientForm,
)
from softtissue.clients.models import Client, Consent, MedicalHistoryItem, Medication
from softtissue.clients.search import search_clients
from softtissue.clients.services import form_creation_key, new_form_key
from softtissue.education.forms import GiveLeafletForm


@member_required
def client_list(request: HttpRequest) -> HttpResponse:
    """All the clinic's clients, filtered as the search box is typed in."""
    query = request.GET.get("q", "")[:200]
    clinic = request.clinic  # type: ignore[attr-defined]
    search = search_clients(clinic, query, request.GET.get("page"))
    context = {"query": query, "search": search, "page": search.page}
    if getattr(request, "htmx", False):
        return render(request, "clients/_results.html", context)
    return render(request, "clients/client_list.html", context)


def form_status(form: ClientForm) -> int:
    """400 when a submitted form is shown again with its errors, else 200."""
    return 400 if form.is_bound and form.errors else 200


@member_required
def create_client(request: HttpRequest) -> HttpResponse:
    """A new client record: identity, contacts and GP; once per submit, duplicates flagged."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    form = NewClientForm(request.POST or None, initial={"submission_key": new_form_key()})
    duplicates: list[Client] = []
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = form_creation_key(data["submission_key"])
        try:
            created = services.create_client(
                clinic, form, key=key, allow_duplicate=data["confirm_duplicate"]
            )
        except services.PossibleDuplicate as found:
            duplicates, status = found.existing, 409
        except services.KeyReused as reused:
            form.add_error(
                None,
                f"This form was already used to create {reused.earlier.full_name}'s record. "
                "Check the details below and save again to create another client.",
            )
            key, status = "", 409
        else:
            if created.replayed:
                messages.info(request, "This form had already been saved: here is the record.")
            return redirect(created.client)
        if not key:
            # The next submit of the form shown again is a new attempt, with its own key.
            data = editable_copy(form.data)
            data["submission_key"] = new_form_key()
            form.data = data
    context = {"form": form, "client": None, "duplicates": duplicates}
    return render(request, "clients/client_form.html", context, status=status)


@member_required
def edit_client(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a client's identity, contacts or GP details."""
    clinic: Clinic = request.clinic  # type: ignore[attr-defined]
    client = get_object_or_404(Client, pk=pk, clinic=clinic)
    form = ClientForm(request.POST or None, instance=client)
    # Reception and clinicians may edit the same client from pages opened at different times.
    track_changes(form)
    if request.method == "POST" and form.is_valid():
        saved = save_changes(form, Client.objects.filter(clinic=clinic), pk, request.user.pk)
        if saved is not None:
            return redirect(saved)
    # A failed save leaves the instance holding the typed values; show the stored name instead.
    stored = get_object_or_404(Client, pk=pk, clinic=request.clinic)  # type: ignore[attr-defined]
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": stored},
        status=form_status(form),
    )


def client_queryset(clinic: Clinic, clinical: bool) -> QuerySet[Client]:
    """The client with everything its page shows fetched up front: a fixed number of queries."""
    clients = Client.objects.filter(clinic=clinic).prefetch_related("consents")
    if not clinical:
        return clients
    # Whether the scope gate was ever overridden on the client's plans: the overrides card
    # costs its query only when there is something to show.
    clients = clients.annotate(overrides_recorded=Count("episodes__plans__overrides"))
    return clients.prefetch_related(
        Prefetch(
            "history_items",
            queryset=MedicalHistoryItem.objects.order_by("ended_at", "-recorded_at", "-pk"),
        ),
        Prefetch("medications", queryset=Medication.objects.order_by("ended_at", "name", "pk")),
        "leaflets_given",
    )


@member_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's page: alerts first, then consent, contacts and (for clinicians) history."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    clinical = membership.is_clinical
    client = get_object_or_404(client_queryset(membership.clinic, clinical), pk=pk)
    return render_detail(request, client, clinical)


def render_detail(
    request: HttpRequest,
    client: Client,
    clinical: bool,
    status: int = 200,
    **forms: object,
) -> HttpResponse:
    """The client page, with any forms that failed validation shown with their errors."""
    context: dict[str, object] = {
        "client": client,
        "clinical": clinical,
        "consents": [
            (label, current)
            for (kind, label), current in zip(
                Consent.Kind.choices, current_consents(client).values(), strict=True
            )
        ],
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "age": client.age_on(timezone.localdate()),
    }
    if clinical:
        context.update(
            alerts=client_alerts(client),
            history=list(client.history_items.all()),
            medications=list(client.medications.all()),
            leaflets_given=sorted(
                client.leaflets_given.all(),
                key=lambda given: given.given_at,
                reverse=True,
            ),
            history_form=forms.get("history_form") or HistoryItemForm(),
            medication_form=forms.get("medication_form") or MedicationForm(),
            leaflet_form=forms.get("leaflet_form") or GiveLeafletForm(),
            history_terms=history_terms(),
            medication_terms=medication_terms(),
        )
    return render(request, "clients/client_detail.html", context, status=status)


@member_required
@require_POST
def record_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a consent given or withdrawn, with its method and typed-name signature."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    client = get_object_or_404(client_queryset(membership.clinic, membership.is_clinical), pk=pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render_detail(request, client, membership.is_clinical, 400, consent_form=form)
    keep_consent(client, form.cleaned_data, membership.user)
    return redirect(f"{client.get_absolute_url()}#consent")

"""A client's resources in order, and the Bundle written one entry at a time."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.interop.fhir import care, documents, observations, people, treatment
from softtissue.interop.fhir.ids import resource_uuid
from softtissue.interop.fhir.model import FhirJson, dumps
from softtissue.letters.models import Letter

R = TypeVar("R")

# Everything a client's resources read, fetched per chunk of clients in a fixed number of queries.
PREFETCH: tuple[Any, ...] = (
    "consents",
    Prefetch("episodes", queryset=Episode.objects.order_by("opened_at", "pk")),
    "episodes__assessments__movements",
    "episodes__assessments__test_results",
    "episodes__notes",
    "episodes__measures",
    "episodes__programme__exercises",
    Prefetch("episodes__letters", queryset=Letter.objects.order_by("created_at", "pk")),
)


def clients_for_export(clinic: Clinic) -> QuerySet[Client]:
    """The clinic's clients in id order, with everything the export reads prefetched."""
    return (
        Client.objects.filter(clinic=clinic)
        .select_related("clinic")
        .prefetch_related(*PREFETCH)
        .order_by("pk")
    )


def therapists_for_export(clinic: Clinic) -> QuerySet[Therapist]:
    """The clinic's therapists with their user and qualifications."""
    return (
        Therapist.objects.filter(clinic=clinic)
        .select_related("user")
        .prefetch_related("qualifications")
        .order_by("pk")
    )


def _sorted(rows: Iterable[R], *keys: str) -> list[R]:
    # Prefetched rows come in the model's default order; a stable export wants oldest first.
    return sorted(rows, key=lambda row: tuple(getattr(row, key) for key in keys))


def client_resources(client: Client) -> tuple[list[FhirJson], set[int]]:
    """Every resource of one client's record, and the ids of the therapists they refer to."""
    resources: list[FhirJson] = [people.patient(client)]
    therapists: set[int] = set()
    for row in _sorted(client.consents.all(), "recorded_at", "pk"):
        resources.append(care.consent(row, client))
    for episode in client.episodes.all():
        therapists.add(episode.therapist_id or 0)
        condition = care.condition(episode)
        if condition is not None:
            resources.append(condition)
        resources.append(care.episode_of_care(episode))
        for assessment in _sorted(episode.assessments.all(), "started_at", "pk"):
            therapists.add(assessment.therapist_id or 0)
            resources.append(care.assessment_encounter(assessment))
            for movement in assessment.movements.all():
                resources.append(observations.range_of_motion(movement, assessment))
            for result in assessment.test_results.all():
                observation = observations.special_test(result, assessment)
                if observation is not None:
                    resources.append(observation)
        for note in _sorted(episode.notes.all(), "session_date", "pk"):
            therapists.add(note.therapist_id or 0)
            resources.append(care.note_encounter(note))
            resources.extend(treatment.procedures(note))
        for measure in episode.measures.all():
            resources.append(observations.questionnaire_response(measure))
            resources.append(observations.outcome_score(measure))
        programme = getattr(episode, "programme", None)
        if programme is not None:
            therapists.add(programme.therapist_id or 0)
            resources.append(treatment.care_plan(programme))
        for letter in episode.letters.all():
            therapists.add(letter.therapist_id or 0)
            request = documents.service_request(letter)
            if request is not None:
                resources.append(request)
            resources.append(documents.document_reference(letter))
    therapists.discard(0)
    return resources, therapists


def staff_resources(therapists: Iterable[Therapist]) -> list[FhirJson]:
    """A Practitioner and a PractitionerRole for each therapist."""
    found: list[FhirJson] = []
    for therapist in therapists:
        found.append(people.practitioner(therapist))
        found.append(people.practitioner_role(therapist))
    return found


def entry_json(resource: FhirJson) -> str:
    """One Bundle entry: its fullUrl is the resource's urn:uuid, which references use."""
    return dumps({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})


class BundleWriter:
    """Writes a collection Bundle to a text stream one entry at a time, never holding it whole."""

    def __init__(self, out: io.TextIOBase | io.StringIO, bundle_id: str, now: datetime) -> None:
        self.out = out
        self.count = 0
        stamp = now.isoformat()
        head = {
            "resourceType": "Bundle",
            "id": bundle_id,
            "meta": {"lastUpdated": stamp},
            "type": "collection",
            "timestamp": stamp,
        }
        out.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"entry":[\n')

    def add(self, resources: Iterable[FhirJson]) -> None:
        """Append entries."""
        for resource in resources:
            self.out.write((",\n" if self.count else "") + entry_json(resource))
            self.count += 1

    def close(self) -> None:
        """End the entry list and the Bundle."""
        self.out.write("\n]}\n")


def client_bundle_json(client: Client) -> str:
    """One client's record as a Bundle (JSON text)."""
    client = clients_for_export(client.clinic).get(pk=client.pk)
    resources, therapist_ids = client_resources(client)
    buffer = io.StringIO()
    writer = BundleWriter(
        buffer, resource_uuid(client.clinic_id, "bundle.client", client.pk), timezone.now()
    )
    writer.add([people.organization(client.clinic)])
    writer.add(staff_resources(therapists_for_export(client.clinic).filter(pk__in=therapist_ids)))
    writer.add(resources)
    writer.close()
    return buffer.getvalue()


def write_clinic_bundle(
    out: io.TextIOBase | io.StringIO,
    clinic: Clinic,
    chunk_size: int = 200,
    clients: QuerySet[Client] | None = None,
    on_client: Callable[[], None] | None = None,
) -> int:
    """Stream the clinic's (or the given clients') records as one Bundle; returns entries."""
    writer = BundleWriter(
        out, resource_uuid(clinic.pk, "bundle.clinic", timezone.now().isoformat()), timezone.now()
    )
    writer.add([people.organization(clinic)])
    writer.add(staff_resources(therapists_for_export(clinic)))
    queryset = clients if clients is not None else clients_for_export(clinic)
    for client in queryset.iterator(chunk_size=chunk_size):
        writer.add(client_resources(client)[0])
        if on_client is not None:
            on_client()
    writer.close()
    return writer.count

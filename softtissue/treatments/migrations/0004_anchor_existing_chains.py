"""Anchor every link signed before anchors existed, so verify-notes can check whole chains.

What is anchored here is the chain as it stands at the upgrade: a change made before it is found
only by the hashes, as before (docs/security.md).
"""

from collections.abc import Iterator
from typing import Any

from django.db import migrations

from softtissue.treatments.anchors import anchor_fields, signing_key

BATCH = 2000


def links(apps: Any, clinic_id: int) -> Iterator[tuple[int, str, int, int, str]]:
    """(sequence, kind, note, client, head) of each link of the clinic's chain, in batches."""
    note = apps.get_model("treatments", "TreatmentNote")
    addendum = apps.get_model("treatments", "Addendum")
    erased = apps.get_model("privacy", "ErasedLink")
    signed = {"clinic_id": clinic_id, "sequence__isnull": False}
    notes = note.objects.filter(**signed).values_list(
        "sequence", "pk", "episode__client_id", "content_hash"
    )
    for sequence, pk, client, head in notes.order_by("sequence").iterator(BATCH):
        yield sequence, "note", pk, client, head
    addenda = addendum.objects.filter(**signed).values_list(
        "sequence", "note_id", "note__episode__client_id", "content_hash"
    )
    for sequence, note_id, client, head in addenda.order_by("sequence").iterator(BATCH):
        yield sequence, "addendum", note_id, client, head
    yield from (
        erased.objects.filter(clinic_id=clinic_id)
        .values_list("sequence", "kind", "note_number", "client_number", "content_hash")
        .order_by("sequence")
        .iterator(BATCH)
    )


def anchor(apps: Any, schema_editor: Any) -> None:
    clinic = apps.get_model("accounts", "Clinic")
    chain_anchor = apps.get_model("audit", "ChainAnchor")
    key = None
    for clinic_id in clinic.objects.order_by("pk").values_list("pk", flat=True):
        anchored = set(
            chain_anchor.objects.filter(clinic_id=clinic_id).values_list("sequence", flat=True)
        )
        batch = []
        for link in links(apps, clinic_id):
            if link[0] in anchored:
                continue  # one anchor per place, even where a damaged chain has two links
            anchored.add(link[0])
            key = key or signing_key()  # made only when there is a chain to anchor
            batch.append(chain_anchor(**anchor_fields(key, clinic_id, *link)))
            if len(batch) == BATCH:
                chain_anchor.objects.bulk_create(batch)
                batch = []
        chain_anchor.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_anchor"),
        ("privacy", "0001_initial"),
        ("treatments", "0003_protect_signed_keys"),
    ]

    operations = [migrations.RunPython(anchor, migrations.RunPython.noop)]

"""Audit events are never changed or deleted: by the model, the queryset, or raw SQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from softtissue.accounts.models import Clinic
from softtissue.audit.guard import unlocked
from softtissue.audit.models import AppendOnlyError, AuditEvent
from softtissue.audit.recording import record


@pytest.fixture
def event(clinic_a: Clinic) -> AuditEvent:
    return record("view", object_type="clients.Client", object_id=7, clinic_id=clinic_a.pk)


def test_it_refuses_to_save_an_event_again(event: AuditEvent) -> None:
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_it_refuses_queryset_updates_and_deletes(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'delete' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_it_refuses_raw_sql_in_the_database(event: AuditEvent, sql: str) -> None:
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()


def test_it_lets_an_unlocked_connection_empty_the_table(event: AuditEvent) -> None:
    with unlocked(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert not AuditEvent.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        record("view")
        cursor.execute("DELETE FROM audit_auditevent")


@pytest.mark.django_db(transaction=True)
def test_it_lets_flush_empty_the_database(clinic_a: Clinic) -> None:
    record("view", clinic_id=clinic_a.pk)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()

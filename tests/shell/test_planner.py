"""SQLite's planner statistics are gathered at start-up, after an import and after a restore."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client
from softtissue.planner import refresh_statistics
from tests.interop.import_helpers import DATA, run_import

pytestmark = pytest.mark.django_db


def statistics_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0] == 0:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'clients_client'")
        return int(cursor.fetchone()[0])


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum gathers its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM sqlite_stat1")


def test_it_gathers_statistics_for_every_table(sqlite_only: None, clinic_a: Clinic) -> None:
    Client.objects.create(
        clinic=clinic_a, first_name="Priya", last_name="Shah", date_of_birth=date(1984, 3, 9)
    )
    assert statistics_rows() == 0
    refresh_statistics()
    assert statistics_rows() > 0


def test_an_import_leaves_statistics_behind(sqlite_only: None, clinic_a: Clinic) -> None:
    run = run_import(DATA / "clients.csv")
    assert run.code == 0, run.output
    assert statistics_rows() > 0


def test_it_does_nothing_on_postgresql(clinic_a: Clinic) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL check")
    refresh_statistics()
    assert Clinic.objects.get() == clinic_a

"""Every CSV the project writes quotes every field and runs no formula, in any spreadsheet locale.

Where the decimal mark is a comma, spreadsheets split a CSV at ';', even inside a field quoted
for ','. A cell that starts after such a ';' must not be a formula either.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.outcomes.services import record_administration
from softtissue.spreadsheets import csv_cell
from softtissue.treatments import services
from tests.outcomes.conftest import make_episode
from tests.treatments.test_overrides import decided_plan

SOURCE = Path(__file__).resolve().parents[2] / "softtissue"
ATTACK = 'Mozilla/5.0;=HYPERLINK("http://evil.example";"x")'
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def body(response: object) -> str:
    streamed = getattr(response, "streaming_content", None)
    data = b"".join(streamed) if streamed is not None else response.content  # type: ignore[attr-defined]
    return data.decode()


def assert_safe(text: str) -> None:
    """Every field quoted; no cell a formula, read with ',' or with ';' as the separator."""
    for line in text.splitlines():
        assert re.fullmatch(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*', line), line
    for separator in (",", ";"):
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            for cell in row:
                start = cell.lstrip(' "')
                if start[:1] in {"=", "+", "-", "@"} and not PLAIN_NUMBER.fullmatch(start):
                    pytest.fail(f"read with {separator!r}, this cell is a formula: {cell!r}")
                assert cell[:1] not in {"\t", "\r"}, cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturned", "'\rReturned"),
        ("Firefox;=cmd", "Firefox;'=cmd"),
        ('Firefox; "+cmd', "Firefox;' \"+cmd"),
        ("two lines\n@cmd", "two lines\n'@cmd"),
        ("Plain text = fine; a - b", "Plain text = fine; a - b"),
        (42, "42"),
        (-3, "-3"),
        (Decimal("-1.50"), "-1.50"),
        (None, ""),
    ],
)
def test_it_guards_each_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_it_quotes_the_audit_export(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    web.get("/clients/", HTTP_USER_AGENT=ATTACK)
    text = body(web.get("/audit/export.csv"))
    assert "HYPERLINK" in text
    assert_safe(text)


def test_it_quotes_the_outcomes_report(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    episode = make_episode(clinic_a, alice)
    for score, days_ago in ((3, 20), (7, 2)):  # worse: the median change is negative
        given = record_administration(episode, "nprs", [score], entered_by=None)
        given.administered_at = timezone.now() - timedelta(days=days_ago)
        given.save()
    web.force_login(alice)
    today = timezone.localdate()
    query = {"start": str(today - timedelta(days=60)), "end": str(today), "format": "csv"}
    text = body(web.get("/outcomes/", query))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][6] == "-4.00"  # a number stays a number
    assert_safe(text)


def test_it_quotes_the_overrides_export(web: WebClient, owner: User, clinic_a: Clinic) -> None:
    plan = decided_plan(clinic_a, owner, "warn", True, "The gate said warn.")
    services.override_scope(clinic_a, owner.membership, plan, "Cleared by phone;=1+1 today, ok")
    web.force_login(owner)
    text = body(web.get("/overrides/export.csv"))
    assert "Cleared by phone" in text
    assert_safe(text)


def test_it_writes_every_csv_through_the_one_helper() -> None:
    writers = [
        path.relative_to(SOURCE).as_posix()
        for path in SOURCE.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == ["spreadsheets.py"], (
        "write CSV with softtissue.spreadsheets.SafeWriter: it quotes and guards every cell"
    )

"""Health data stays out of logs, error pages and URLs."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.clients import views as client_views
from softtissue.logs import WITHHELD, RedactingFormatter
from tests.records import MARKER_SURNAME, FullRecord, build_full_record
from tests.shell.test_every_url import PRIVATE_PAGES, QUERIES, fill

LINK = re.compile(rb'(?:href|action|src|hx-get|hx-post|hx-delete|hx-put)="([^"]*)"')


@pytest.fixture
def record(clinic_a: Clinic, owner: User) -> FullRecord:
    return build_full_record(clinic_a, owner)


def health_data(record: FullRecord) -> list[str]:
    """What would identify the client or their health if it leaked."""
    client = record.client
    return [
        MARKER_SURNAME,
        client.date_of_birth.isoformat(),
        client.date_of_birth.strftime("%d/%m/%Y"),
        client.email,
        record.history_item.description,
        record.medication.name,
        record.episode.presenting_problem,
    ]


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What the configured django.request handler writes, caught in memory."""
    handler = logging.getLogger("django.request").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    assert isinstance(handler.formatter, RedactingFormatter)
    caught = io.StringIO()
    previous = handler.setStream(caught)
    yield caught
    handler.setStream(previous)


def test_it_logs_a_failing_page_without_the_health_data_in_its_error(
    web: WebClient,
    owner: User,
    record: FullRecord,
    request_log: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(request: object, client: object, clinical: bool, **forms: object) -> None:
        # Database errors quote values like this (PostgreSQL's DETAIL lines do).
        raise ValueError(f"Key (last_name)=({MARKER_SURNAME}) clashes; history: Asthma")

    monkeypatch.setattr(client_views, "render_detail", fail)
    web.raise_request_exception = False
    web.force_login(owner)

    response = web.get(f"/clients/{record.client.pk}/")

    assert response.status_code == 500
    logged = request_log.getvalue()
    assert "Internal Server Error" in logged
    assert f"builtins.ValueError: {WITHHELD}" in logged
    assert "in fail" in logged  # the frames are kept, so the fault can still be found
    for text in [*health_data(record), "Asthma"]:
        assert text.encode() not in response.content
        assert text not in logged


def test_it_keeps_the_chained_causes_types_in_the_log() -> None:
    formatter = RedactingFormatter()
    try:
        try:
            raise KeyError(MARKER_SURNAME)
        except KeyError as error:
            raise RuntimeError("while saving " + MARKER_SURNAME) from error
    except RuntimeError:
        import sys

        text = formatter.formatException(sys.exc_info())
    assert "builtins.KeyError" in text
    assert "builtins.RuntimeError" in text
    assert MARKER_SURNAME not in text


def test_it_puts_no_health_data_in_any_link_of_any_page(
    web: WebClient, owner: User, record: FullRecord
) -> None:
    web.force_login(owner)
    leaks = []
    checked = 0
    for name, route in PRIVATE_PAGES:
        path = "/" + fill(route, record)[0] + QUERIES.get(name, "")
        response = web.get(path)
        if response.status_code == 302:
            links = [response["Location"].encode()]
        elif response.get("Content-Type", "").startswith("text/html"):
            links = LINK.findall(response.content)
        else:
            continue
        checked += len(links)
        leaks += [
            f"{name}: {link.decode()}"
            for link in links
            for text in health_data(record)
            if text.encode() in link or text.replace(" ", "+").encode() in link
        ]
    assert checked > 200  # the pages were read, not skipped
    assert not leaks, leaks


def test_it_shows_no_health_data_on_the_not_found_page(
    web: WebClient, charlie: User, record: FullRecord
) -> None:
    web.force_login(charlie)
    response = web.get(f"/clients/{record.client.pk}/")
    assert response.status_code == 404
    for text in health_data(record):
        assert text.encode() not in response.content

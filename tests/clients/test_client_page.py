"""The client page: alerts first, reception sees no clinical data, a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.clients.alerts import Alert, client_alerts
from softtissue.clients.models import Client, MedicalHistoryItem, Medication
from tests.clients.conftest import give_consent


def add_history(client: Client, description: str, code: str | None = None) -> MedicalHistoryItem:
    return MedicalHistoryItem.objects.create(
        clinic=client.clinic,
        client=client,
        description=description,
        finding_code=code,
        recorded_at=timezone.now(),
    )


def test_it_alerts_missing_consent(alices_client: Client) -> None:
    alerts = client_alerts(alices_client)
    assert (
        Alert(
            "stop",
            "No consent to assessment and treatment",
            "Record the client's consent before an assessment or treatment starts.",
        )
        in alerts
    )
    give_consent(alices_client)
    assert client_alerts(alices_client) == []


def test_it_alerts_contraindications_from_history_and_medicines(alices_client: Client) -> None:
    give_consent(alices_client)
    add_history(alices_client, "Osteoporosis", "osteoporosis")
    Medication.objects.create(
        clinic=alices_client.clinic,
        client=alices_client,
        name="Warfarin",
        knowledge_id="medication.warfarin",
        recorded_at=timezone.now(),
    )
    titles = {alert.title for alert in client_alerts(alices_client)}
    assert any("Osteoporosis" in title for title in titles)
    assert any("nticoagulant" in title for title in titles)
    assert all(alert.sources for alert in client_alerts(alices_client))


def test_it_ignores_ended_items(alices_client: Client) -> None:
    give_consent(alices_client)
    item = add_history(alices_client, "Epilepsy", "epilepsy")
    assert client_alerts(alices_client)
    item.ended_at = timezone.now()
    item.save()
    assert client_alerts(alices_client) == []


def test_it_puts_stop_alerts_first(alices_client: Client) -> None:
    add_history(alices_client, "Osteoporosis", "osteoporosis")
    severities = [alert.severity for alert in client_alerts(alices_client)]
    assert severities == sorted(severities, key=["stop", "warning", "info"].index)
    assert severities[0] == "stop"


def test_it_shows_clinicians_the_alerts_and_history(
    web: WebClient, alice: User, alices_client: Client
) -> None:
    add_history(alices_client, "Osteoporosis", "osteoporosis")
    web.force_login(alice)
    html = web.get(alices_client.get_absolute_url()).content.decode()
    assert "No consent to assessment and treatment" in html
    assert "Medical history" in html and "Osteoporosis" in html
    assert html.index("Alerts") < html.index("Contact and GP")


def test_it_hides_clinical_data_from_reception(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    add_history(alices_client, "Osteoporosis", "osteoporosis")
    Medication.objects.create(
        clinic=alices_client.clinic,
        client=alices_client,
        name="Warfarin",
        recorded_at=timezone.now(),
    )
    web.force_login(reception)
    response = web.get(alices_client.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "07700 900123" in html and "Consent" in html
    for hidden in ("Osteoporosis", "Warfarin", "Medical history", "Alerts", "Leaflets given"):
        assert hidden not in html
    assert "alerts" not in response.context


def test_it_refuses_an_outsider(web: WebClient, charlie: User, alices_client: Client) -> None:
    web.force_login(charlie)
    assert web.get(alices_client.get_absolute_url()).status_code == 404


def add_records(client: Client, count: int) -> None:
    for number in range(count):
        add_history(client, f"Item {number}", "diabetes" if number % 2 else None)
        give_consent(client, given=bool(number % 2))
        Medication.objects.create(
            clinic=client.clinic,
            client=client,
            name=f"Medicine {number}",
            knowledge_id="medication.metformin",
            recorded_at=timezone.now(),
        )


def test_it_needs_the_same_queries_for_1_or_20_history_items(
    web: WebClient, alice: User, alices_client: Client, django_assert_max_num_queries: Any
) -> None:
    web.force_login(alice)
    add_records(alices_client, 1)
    web.get(alices_client.get_absolute_url())  # the session and the knowledge are warm
    with CaptureQueriesContext(connection) as one:
        assert web.get(alices_client.get_absolute_url()).status_code == 200
    add_records(alices_client, 19)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = web.get(alices_client.get_absolute_url())
    assert len(response.context["history"]) == 20
    assert len(one.captured_queries) <= 13

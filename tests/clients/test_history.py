"""Medical history and medicines: coded where they match, free text kept, ended not deleted."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients.coding import match_history, match_medication
from softtissue.clients.models import Client, MedicalHistoryItem, Medication


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Osteoporosis", "osteoporosis"),
        ("osteoporosis since 2019", "osteoporosis"),
        ("Previous DVT or PE", "history_of_dvt"),
        ("Pacemaker or implanted device", "pacemaker"),
        ("diabetes type 2", "diabetes"),
        ("Asthma", None),
        ("", None),
    ],
)
def test_it_codes_history_to_the_knowledge(typed: str, code: str | None) -> None:
    assert match_history(typed) == code


@pytest.mark.parametrize(
    ("typed", "med_id"),
    [
        ("Warfarin 5 mg", "medication.warfarin"),
        ("Eliquis", "medication.apixaban"),
        ("apixaban 2.5mg twice daily", "medication.apixaban"),
        ("enoxaparin injections", "medication.heparin"),
        ("Alendronic acid", "medication.alendronic-acid"),
        ("Paracetamol", None),
    ],
)
def test_it_codes_medicines_to_the_knowledge(typed: str, med_id: str | None) -> None:
    assert match_medication(typed) == med_id


def test_it_adds_a_coded_history_item_keeping_the_words(
    web: WebClient, alice: User, alices_client: Client
) -> None:
    web.force_login(alice)
    url = reverse("add_history_item", args=[alices_client.pk])
    assert web.post(url, {"description": "Osteoporosis (told 2021)"}).status_code == 302
    item = MedicalHistoryItem.objects.get()
    assert (item.finding_code, item.description) == ("osteoporosis", "Osteoporosis (told 2021)")
    assert item.recorded_by == alice and not item.client_reported
    assert item.clinic == alices_client.clinic


def test_it_keeps_an_uncoded_item(web: WebClient, alice: User, alices_client: Client) -> None:
    web.force_login(alice)
    web.post(reverse("add_history_item", args=[alices_client.pk]), {"description": "Asthma"})
    item = MedicalHistoryItem.objects.get()
    assert (item.finding_code, item.description) == (None, "Asthma")


def test_it_refuses_a_blank_item(web: WebClient, alice: User, alices_client: Client) -> None:
    web.force_login(alice)
    response = web.post(reverse("add_history_item", args=[alices_client.pk]), {"description": " "})
    assert response.status_code == 400
    assert response.context["history_form"].errors["description"]
    assert not MedicalHistoryItem.objects.exists()


def test_it_adds_a_medicine(web: WebClient, alice: User, alices_client: Client) -> None:
    web.force_login(alice)
    url = reverse("add_medication", args=[alices_client.pk])
    web.post(url, {"name": "Warfarin", "dose": "3 mg daily"})
    medication = Medication.objects.get()
    assert (medication.knowledge_id, medication.name, medication.dose) == (
        "medication.warfarin",
        "Warfarin",
        "3 mg daily",
    )


def test_it_ends_items_without_deleting_them(
    web: WebClient, alice: User, alices_client: Client
) -> None:
    web.force_login(alice)
    web.post(reverse("add_history_item", args=[alices_client.pk]), {"description": "Epilepsy"})
    web.post(reverse("add_medication", args=[alices_client.pk]), {"name": "Metformin"})
    item, medication = MedicalHistoryItem.objects.get(), Medication.objects.get()
    web.post(reverse("end_history_item", args=[alices_client.pk, item.pk]))
    web.post(reverse("end_medication", args=[alices_client.pk, medication.pk]))
    item.refresh_from_db()
    medication.refresh_from_db()
    assert item.ended_at is not None and item.ended_by == alice
    assert medication.ended_at is not None and medication.ended_by == alice
    html = web.get(alices_client.get_absolute_url()).content.decode()
    assert "Epilepsy" in html and "ended" in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("add_history_item", {"description": "Osteoporosis"}),
        ("add_medication", {"name": "Warfarin"}),
    ],
)
def test_it_refuses_reception(
    web: WebClient, reception: User, alices_client: Client, name: str, data: dict[str, str]
) -> None:
    web.force_login(reception)
    assert web.post(reverse(name, args=[alices_client.pk]), data).status_code == 403
    assert not MedicalHistoryItem.objects.exists() and not Medication.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("add_history_item", {"description": "Osteoporosis"}),
        ("add_medication", {"name": "Warfarin"}),
    ],
)
def test_it_refuses_an_outsider(
    web: WebClient, charlie: User, alices_client: Client, name: str, data: dict[str, str]
) -> None:
    web.force_login(charlie)
    assert web.post(reverse(name, args=[alices_client.pk]), data).status_code == 404
    assert not MedicalHistoryItem.objects.exists() and not Medication.objects.exists()


def test_it_refuses_to_end_another_clinics_item(
    web: WebClient, alice: User, charlie: User, alices_client: Client
) -> None:
    web.force_login(alice)
    web.post(reverse("add_history_item", args=[alices_client.pk]), {"description": "Epilepsy"})
    item = MedicalHistoryItem.objects.get()
    web.force_login(charlie)
    assert (
        web.post(reverse("end_history_item", args=[alices_client.pk, item.pk])).status_code == 404
    )
    item.refresh_from_db()
    assert item.ended_at is None

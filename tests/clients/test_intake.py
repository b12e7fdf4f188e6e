"""The tablet intake link: hashed, expiring, single use; answers are saved as client-reported."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.clients.consent import has_consent
from softtissue.clients.intake import issue_intake_link
from softtissue.clients.models import Client, Consent, IntakeLink, MedicalHistoryItem, Medication

ANSWERS = {
    "phone": "07700 900777",
    "email": "",
    "gp_name": "Dr Adeyemi",
    "gp_practice": "Canal Street Surgery",
    "history": ["osteoporosis", "diabetes"],
    "medications": "Warfarin 3 mg\n\nVitamin D\n",
    "consent_assessment_treatment": "yes",
    "consent_health_data": "yes",
    "consent_share_with_gp": "no",
    "signed_name": "Priya Shah",
}


def nothing_saved(client: Client) -> bool:
    client.refresh_from_db()
    return (
        client.phone == "07700 900123"
        and not MedicalHistoryItem.objects.exists()
        and not Medication.objects.exists()
        and not Consent.objects.exists()
    )


@pytest.mark.parametrize("user", ["alice", "reception"])
def test_it_makes_a_link_and_keeps_only_its_hash(
    web: WebClient, alices_client: Client, user: str, request: pytest.FixtureRequest
) -> None:
    web.force_login(request.getfixturevalue(user))
    response = web.post(reverse("create_intake_link", args=[alices_client.pk]))
    assert response.status_code == 200
    token = re.search(r"/intake/([\w-]+)/", response.content.decode())
    assert token is not None
    link = IntakeLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.group(1).encode()).hexdigest()
    assert token.group(1) not in link.token_hash
    assert len(token.group(1)) >= 43
    assert timedelta(minutes=119) < link.expires_at - link.created_at <= timedelta(minutes=120)
    assert response["Cache-Control"] == "no-store"


def test_it_refuses_an_outsider_a_link(
    web: WebClient, charlie: User, alices_client: Client
) -> None:
    web.force_login(charlie)
    assert web.post(reverse("create_intake_link", args=[alices_client.pk])).status_code == 404
    assert not IntakeLink.objects.exists()


def test_it_shows_only_the_form_and_the_first_name(web: WebClient, alices_client: Client) -> None:
    token, _ = issue_intake_link(alices_client)
    response = web.get(reverse("intake_form", args=[token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Priya" in html
    for private in ("Shah", "07700", "1984", 'aria-label="Main"', "Log out"):
        assert private not in html
    assert "Have you been told you have osteoporosis" in html
    assert "no-store" in response["Cache-Control"]


def test_it_writes_the_answers_back_as_client_reported(
    web: WebClient, alices_client: Client
) -> None:
    token, link = issue_intake_link(alices_client)
    response = web.post(reverse("intake_form", args=[token]), ANSWERS)
    assert response.status_code == 200
    assert "Thank you, Priya" in response.content.decode()
    alices_client.refresh_from_db()
    assert alices_client.phone == "07700 900777"
    assert alices_client.email == "Priya.Shah@example.com"  # left blank: kept
    assert alices_client.gp_practice == "Canal Street Surgery"
    history = MedicalHistoryItem.objects.order_by("finding_code")
    assert [(h.finding_code, h.client_reported) for h in history] == [
        ("diabetes", True),
        ("osteoporosis", True),
    ]
    medicines = Medication.objects.order_by("name")
    assert [(m.name, m.knowledge_id, m.client_reported) for m in medicines] == [
        ("Vitamin D", None, True),
        ("Warfarin 3 mg", "medication.warfarin", True),
    ]
    assert {c.method for c in Consent.objects.all()} == {"tablet"}
    assert has_consent(alices_client, "assessment_treatment")
    assert has_consent(alices_client, "health_data")
    assert not has_consent(alices_client, "share_with_gp")
    link.refresh_from_db()
    assert link.used_at is not None


def test_it_works_once(web: WebClient, alices_client: Client) -> None:
    token, _ = issue_intake_link(alices_client)
    web.post(reverse("intake_form", args=[token]), ANSWERS)
    again = web.post(reverse("intake_form", args=[token]), {**ANSWERS, "phone": "0000"})
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    assert web.get(reverse("intake_form", args=[token])).status_code == 410
    alices_client.refresh_from_db()
    assert alices_client.phone == "07700 900777"
    assert Consent.objects.count() == 3


def test_it_refuses_an_expired_link_and_saves_nothing(
    web: WebClient, alices_client: Client
) -> None:
    token, link = issue_intake_link(alices_client)
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    response = web.post(reverse("intake_form", args=[token]), ANSWERS)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert nothing_saved(alices_client)


def test_it_refuses_an_unknown_token(web: WebClient, alices_client: Client) -> None:
    response = web.post(reverse("intake_form", args=["not-a-real-token"]), ANSWERS)
    assert response.status_code == 404
    assert nothing_saved(alices_client)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signed_name": "  "}, "signed_name"),
        ({"consent_assessment_treatment": ""}, "consent_assessment_treatment"),
        ({"history": ["not_a_code"]}, "history"),
        ({"email": "nope"}, "email"),
    ],
)
def test_it_refuses_bad_answers_and_saves_nothing(
    web: WebClient, alices_client: Client, changes: dict[str, object], field: str
) -> None:
    token, link = issue_intake_link(alices_client)
    response = web.post(reverse("intake_form", args=[token]), {**ANSWERS, **changes})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "Canal Street Surgery" in response.content.decode()  # what was typed is kept
    assert nothing_saved(alices_client)
    link.refresh_from_db()
    assert link.used_at is None


def test_it_reads_the_expiry_from_settings(alices_client: Client, settings: object) -> None:
    settings.SOFTTISSUE_INTAKE_LINK_MINUTES = 15  # type: ignore[attr-defined]
    _, link = issue_intake_link(alices_client)
    assert link.expires_at - link.created_at == timedelta(minutes=15)

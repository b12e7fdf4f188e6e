"""Every client and leaflet page sends a visitor to log in, for reading and for posting."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients.models import Client, Consent, IntakeLink, MedicalHistoryItem

PAGES = [
    ("client_list", []),
    ("create_client", []),
    ("client_detail", ["client"]),
    ("edit_client", ["client"]),
    ("record_consent", ["client"]),
    ("add_history_item", ["client"]),
    ("end_history_item", ["client", 1]),
    ("add_medication", ["client"]),
    ("end_medication", ["client", 1]),
    ("create_intake_link", ["client"]),
    ("leaflet_list", []),
    ("leaflet_detail", ["condition.hamstring-strain"]),
    ("give_leaflet", ["client"]),
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_sends_a_visitor_to_log_in(
    web: WebClient, alices_client: Client, name: str, args: list[object], method: str
) -> None:
    url = reverse(name, args=[alices_client.pk if arg == "client" else arg for arg in args])
    data = {"kind": "assessment_treatment", "signed_name": "X", "description": "Epilepsy"}
    response = getattr(web, method)(url, data if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not Consent.objects.exists()
    assert not MedicalHistoryItem.objects.exists()
    assert not IntakeLink.objects.exists()


def test_it_survives_a_nonsense_page_number(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    web.force_login(reception)
    response = web.get(reverse("client_list"), {"q": "shah", "page": "abc"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"].object_list] == [alices_client.pk]

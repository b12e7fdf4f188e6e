"""Condition leaflets: listed, searched, filtered by tag, printable, and recorded when given."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from softtissue.education.leaflets import all_leaflets, find_leaflets
from softtissue.education.models import LeafletGiven
from softtissue.reasoning import default_knowledge

ELBOW = "condition.lateral-elbow-tendinopathy"


def test_it_has_a_leaflet_for_every_condition_that_writes_one() -> None:
    with_leaflet = {
        cid for cid, entry in default_knowledge().conditions.items() if entry.get("leaflet")
    }
    assert {leaflet.condition_id for leaflet in all_leaflets()} == with_leaflet
    assert len(with_leaflet) > 10


def test_it_searches_text_and_tags() -> None:
    assert ELBOW in {leaflet.condition_id for leaflet in find_leaflets("tennis elbow")}
    assert find_leaflets("no-such-words-anywhere") == []
    tagged = find_leaflets(tag="elbow")
    assert tagged and all("elbow" in leaflet.tags for leaflet in tagged)
    both = find_leaflets("tennis", tag="elbow")
    assert ELBOW in {leaflet.condition_id for leaflet in both}
    assert len(both) < len(tagged)


def test_it_lists_and_filters_leaflets(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    everything = web.get(reverse("leaflet_list"))
    assert everything.status_code == 200
    assert len(everything.context["leaflets"]) == len(all_leaflets())
    by_tag = web.get(reverse("leaflet_list"), {"tag": "elbow"}).context["leaflets"]
    assert ELBOW in {leaflet.condition_id for leaflet in by_tag}
    assert all("elbow" in leaflet.tags for leaflet in by_tag)
    partial = web.get(reverse("leaflet_list"), {"q": "tennis"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "Tennis elbow" in partial.content.decode()


def test_it_shows_a_printable_leaflet(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    response = web.get(reverse("leaflet_detail", args=[ELBOW]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tennis elbow" in html and "working impression" in html
    assert "diagnosis" not in html.replace("not a diagnosis", "")
    assert web.get(reverse("leaflet_detail", args=["condition.nothing"])).status_code == 404


def test_it_records_a_leaflet_as_given(web: WebClient, alice: User, alices_client: Client) -> None:
    web.force_login(alice)
    response = web.post(reverse("give_leaflet", args=[alices_client.pk]), {"condition_id": ELBOW})
    assert response.status_code == 302
    given = LeafletGiven.objects.get()
    assert (given.client, given.clinic, given.given_by) == (
        alices_client,
        alices_client.clinic,
        alice,
    )
    assert "Tennis elbow" in web.get(alices_client.get_absolute_url()).content.decode()


def test_it_refuses_an_unknown_leaflet(web: WebClient, alice: User, alices_client: Client) -> None:
    web.force_login(alice)
    response = web.post(reverse("give_leaflet", args=[alices_client.pk]), {"condition_id": "x"})
    assert response.status_code == 400
    assert response.context["leaflet_form"].errors["condition_id"]
    assert not LeafletGiven.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("reception", 403), ("charlie", 404)])
def test_it_refuses_reception_and_outsiders(
    web: WebClient, alices_client: Client, user: str, status: int, request: pytest.FixtureRequest
) -> None:
    web.force_login(request.getfixturevalue(user))
    response = web.post(reverse("give_leaflet", args=[alices_client.pk]), {"condition_id": ELBOW})
    assert response.status_code == status
    assert not LeafletGiven.objects.exists()

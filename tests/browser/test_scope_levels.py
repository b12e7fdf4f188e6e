"""A Level 3 sports massage therapist's scope: maintenance massage goes ahead, an injury is blocked
with the insurance reason, and an override made on a plan shows on the owner's overrides page.

Each test runs at desktop width, at an iPad's 768 px and at a phone's 390 px, and checks that
what the user must see is inside the window: nothing is cut off at the side, and each thing fits
the width. The maintenance test also opens the client's safety-net card.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from softtissue.accounts.models import Clinic, InsurancePolicy, Therapist
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client, Consent
from softtissue.demo import DEMO_PASSWORD, RIVERSIDE, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

L3 = "l3@riverside.example"
OWNER = "owner@riverside.example"
WIDTHS = {"desktop": (1280, 900), "ipad": (768, 1024), "phone": (390, 844)}
REVIEW = (date.today() + timedelta(days=42)).isoformat()


@pytest.fixture(params=sorted(WIDTHS))
def sized(request: pytest.FixtureRequest, page: Page) -> Page:
    width, height = WIDTHS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return page


def in_view(page: Page, *targets: Locator) -> None:
    """The page does not scroll sideways, and each target, scrolled to, is whole across."""
    size = page.viewport_size
    assert size is not None
    sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"{page.url} scrolls sideways by {sideways}px at {size['width']}px"
    for target in targets:
        target.scroll_into_view_if_needed()
        expect(target).to_be_in_viewport()
        box = target.bounding_box()
        assert box is not None, target
        assert box["x"] >= 0, (target, box)
        assert box["x"] + box["width"] <= size["width"] + 0.5, (target, box, size)


def screenshot(page: Page, name: str) -> None:
    """Save the whole page when SOFTTISSUE_SCREENSHOT_DIR is set."""
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        size = page.viewport_size or {"width": 0}
        page.screenshot(path=Path(screenshots) / f"{name}-{size['width']}.png", full_page=True)


def riverside() -> Clinic:
    return Clinic.objects.get(name=RIVERSIDE)


def insure_sam() -> Therapist:
    """Sam Patel (Level 3) with a current sports massage policy."""
    sam = Therapist.objects.get(user__email=L3)
    today = timezone.localdate()
    InsurancePolicy.objects.create(
        therapist=sam,
        insurer="Example Insurance",
        policy_number="SM-2026-118",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=265),
        schedule="insurer.example-sports-massage",
    )
    return sam


def new_client(first_name: str, last_name: str, born: date) -> Client:
    """A client with consent to assessment and treatment."""
    client = Client.objects.create(
        clinic=riverside(), first_name=first_name, last_name=last_name, date_of_birth=born
    )
    Consent.objects.create(
        clinic=client.clinic,
        client=client,
        kind=Consent.Kind.ASSESSMENT_TREATMENT,
        method=Consent.Method.IN_PERSON,
        signed_name=client.full_name,
        recorded_at=timezone.now(),
    )
    return client


def log_in(page: Page, base: str, email: str, welcome: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {welcome}")


def open_episode(page: Page, base: str, client: Client, problem: str, region: str) -> str:
    """From the client list to a new episode of the client; its address."""
    page.goto(f"{base}/clients/")
    page.get_by_role("link", name=f"{client.last_name}, {client.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.full_name)
    page.get_by_role("link", name="Open an episode").click()
    page.get_by_label("Presenting problem").fill(problem)
    page.get_by_label("Body region").select_option(label=region)
    page.get_by_role("button", name="Open episode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(problem)
    return page.url


def take_history(page: Page, onset: str, weeks: str, mechanism: str = "") -> None:
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial assessment")
    history = page.locator("#section-history")
    history.get_by_label("Onset").select_option(onset)
    history.get_by_label("Symptom duration (weeks)").fill(weeks)
    if mechanism:
        history.get_by_label("Mechanism of injury").fill(mechanism)
    history.get_by_role("button", name="Save history").click()
    expect(history.get_by_label("Symptom duration (weeks)")).to_have_value(weeks)


def answer_yes(page: Page, *questions: str) -> None:
    region = page.locator("#section-region")
    for question in questions:
        region.locator("fieldset", has_text=question).get_by_label("Yes", exact=True).check()
    region.get_by_role("button", name="Save region questions").click()
    for question in questions:
        expect(
            region.locator("fieldset", has_text=question).get_by_label("Yes", exact=True)
        ).to_be_checked()


def mark_chart(page: Page, area: str, view: str, side: str, symptom: str) -> None:
    chart = page.locator("#section-chart")
    chart.locator(f'[data-area="{area}"][data-view="{view}"][data-side="{side}"]').click()
    expect(chart.get_by_label("Area")).to_have_value(area)
    chart.get_by_label("Symptom").select_option(symptom)
    chart.get_by_label("Intensity (0-10)").fill("3")
    chart.get_by_label("Depth").select_option("superficial")
    chart.get_by_role("button", name="Add mark").click()
    expect(chart.get_by_role("cell", name="3/10")).to_be_visible()


def plan_massage(page: Page, episode_url: str, goals: str, rows: list[tuple[str, str]]) -> Locator:
    """A maintenance massage plan with these (technique, region) rows; the gate's card."""
    page.goto(episode_url)
    page.get_by_role("link", name="New treatment plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treatment plan")
    page.get_by_label("Goals").fill(goals)
    page.get_by_label("Condition category").select_option(label="Maintenance and event work")
    for number, (technique, region) in enumerate(rows, start=1):
        page.get_by_label(f"Technique {number}", exact=True).select_option(technique)
        page.get_by_label(f"Region {number}", exact=True).select_option(region)
    page.get_by_label("Frequency").fill("Fortnightly for 6 weeks")
    page.get_by_label("Review date").fill(REVIEW)
    page.get_by_role("button", name="Save and check scope").click()
    gate = page.locator("section.gate-card")
    expect(gate).to_be_visible()
    return gate


def test_it_allows_maintenance_massage_for_general_muscular_tension(
    live_server: Any, sized: Page
) -> None:
    load_demo()
    insure_sam()
    client = new_client("Laura", "Bennett", date(1987, 4, 22))
    page, base = sized, live_server.url
    log_in(page, base, L3, "Sam")
    episode_url = open_episode(
        page,
        base,
        client,
        "Achy, tight lower back after long days at the desk",
        "Lower back and pelvis",
    )
    take_history(page, "gradual", "2")
    mark_chart(page, "lower-back", "back", "centre", "ache")
    assert serious_accessibility_violations(page) == []
    # Nothing stops treatment, so the panel says what to tell her, with a card to print.
    tell = page.get_by_role("heading", name="Tell the client")
    expect(tell).to_be_visible()
    card_link = page.get_by_role("link", name="Print the client's card")
    in_view(page, tell, card_link)
    assessment_url = page.url
    page.goto(base + (card_link.get_attribute("href") or ""))
    card = page.get_by_role("heading", name="When to get help", level=1)
    signs = page.get_by_role("heading", name="999 or A&E now if:")
    expect(signs).to_be_visible()
    assert serious_accessibility_violations(page) == []
    in_view(page, card, signs, page.get_by_role("button", name="Print"))
    screenshot(page, "safety-net-card")
    page.goto(assessment_url)

    gate = plan_massage(
        page,
        episode_url,
        "Ease the general tension so she can sit through a working day comfortably",
        [
            ("technique.effleurage", "region.lumbar-pelvis"),
            ("technique.petrissage", "region.lumbar-pelvis"),
        ],
    )
    heading = page.get_by_role("heading", name="Scope of practice: Allowed")
    expect(heading).to_be_visible()
    why = gate.get_by_role("listitem")
    expect(why.filter(has_text=re.compile("maintenance", re.IGNORECASE)).first).to_be_visible()
    expect(gate).to_contain_text("may use Effleurage")
    expect(gate).to_contain_text("may use Petrissage")
    may_treat = page.get_by_text("Treatment may go ahead.")
    session = page.get_by_role("link", name="Record a session")
    expect(session).to_be_visible()
    assert serious_accessibility_violations(page) == []
    in_view(page, heading, *why.all(), may_treat, session)
    screenshot(page, "scope-maintenance-allowed")


def test_it_blocks_a_level_3_on_an_injured_hamstring_because_insurance_follows_qualification(
    live_server: Any, sized: Page
) -> None:
    load_demo()
    insure_sam()
    megan = Client.objects.get(clinic=riverside(), first_name="Megan", last_name="Ellis")
    page, base = sized, live_server.url
    log_in(page, base, L3, "Sam")
    episode_url = open_episode(
        page, base, megan, "Pulled the back of the thigh sprinting", "Thigh and lower leg"
    )
    take_history(
        page, "after_trauma", "1", "Felt a pull in the right hamstring sprinting 5 days ago"
    )
    answer_yes(
        page,
        "Is the pain in the back of the thigh?",
        "Does a straight-leg raise or hamstring stretch reproduce pain",
    )
    assert serious_accessibility_violations(page) == []

    gate = plan_massage(
        page,
        episode_url,
        "Loosen the tight hamstring before Sunday's match",
        [("technique.effleurage", "region.leg"), ("technique.petrissage", "region.leg")],
    )
    heading = page.get_by_role("heading", name="Scope of practice: Blocked")
    expect(heading).to_be_visible()
    reasons = gate.get_by_role("listitem")
    insurance = reasons.filter(has_text=re.compile("insurance", re.IGNORECASE))
    expect(insurance.first).to_be_visible()
    expect(gate).to_contain_text("may not treat")
    refer = page.get_by_role("link", name="Refer", exact=True)
    expect(refer).to_be_visible()
    expect(page.get_by_role("link", name="Record a session")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    in_view(page, heading, *reasons.all(), refer)
    screenshot(page, "scope-injury-blocked")


def lumbar_episode(sam: Therapist) -> Episode:
    """A client with a tight lower back, assessed: general tension, no injury, no red flags."""
    client = new_client("Nadia", "Brooks", date(1979, 10, 3))
    episode = Episode.objects.create(
        clinic=client.clinic,
        client=client,
        therapist=sam,
        presenting_problem="Tight lower back after gardening",
        region="region.lumbar-pelvis",
    )
    Assessment.objects.create(
        clinic=client.clinic,
        episode=episode,
        therapist=sam,
        onset="gradual",
        symptom_duration_weeks=2,
    )
    return episode


def test_it_shows_the_owner_an_override_made_on_the_plan_page(
    live_server: Any, sized: Page
) -> None:
    load_demo()
    episode = lumbar_episode(insure_sam())
    page, base = sized, live_server.url
    log_in(page, base, L3, "Sam")
    # Heat is aftercare that a Level 3 may use only with care: a warning, which may be overridden.
    plan_massage(
        page,
        f"{base}/episodes/{episode.pk}/",
        "Ease the stiffness so she can garden for an hour",
        [
            ("technique.effleurage", "region.lumbar-pelvis"),
            ("technique.heat-ice", "region.lumbar-pelvis"),
        ],
    )
    expect(page.get_by_role("heading", name="Scope of practice: Warning")).to_be_visible()
    plan_url = page.url
    reason = page.get_by_label("Why you are proceeding")
    reason.fill("Client insists")
    page.get_by_role("button", name="Override with this reason").click()
    error = page.get_by_text("The reason is only 14 characters long")
    expect(error).to_be_visible()
    in_view(page, error, page.get_by_label("Why you are proceeding"))
    written = "Her GP advised warmth for the stiffness; I use a wheat bag, never on broken skin."
    page.get_by_label("Why you are proceeding").fill(written)
    page.get_by_role("button", name="Override with this reason").click()
    expect(page.get_by_text("Override recorded with your reason.")).to_be_visible()
    expect(page.get_by_text("Treatment may go ahead.")).to_be_visible()
    assert page.url == plan_url

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, OWNER, "Rachel")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Overrides")
    in_view(page, link)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scope overrides")
    row = page.get_by_role("row").filter(has_text="Nadia Brooks")
    expect(row).to_have_count(1)
    cells = row.get_by_role("cell")
    expect(cells.nth(1)).to_have_text("Sam Patel")
    expect(cells.nth(2)).to_contain_text("Nadia Brooks")
    expect(cells.nth(2)).to_contain_text(f"no. {episode.client_id}")
    expect(cells.nth(3)).to_contain_text("Plan of")
    expect(cells.nth(4)).to_contain_text("Warning")
    expect(cells.nth(4)).to_contain_text("Heat and ice")
    expect(cells.nth(5)).to_have_text(written)
    download = page.get_by_role("link", name="Download CSV")
    assert serious_accessibility_violations(page) == []
    in_view(page, page.get_by_role("heading", level=1), download, *cells.all())
    screenshot(page, "scope-overrides-page")
    with page.expect_download() as waiting:
        download.click()
    saved = waiting.value.path()
    text = saved.read_text(encoding="utf-8")
    assert '"Nadia Brooks"' in text
    assert f'"{written}"' in text
    assert '"warn"' in text

    # Anyone clinical opening the client's record sees the override there too.
    cells.nth(2).get_by_role("link", name="Nadia Brooks").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nadia Brooks")
    card = page.locator("section", has=page.get_by_role("heading", name="Scope overrides"))
    expect(card).to_contain_text("Sam Patel")
    expect(card).to_contain_text("Warning")
    expect(card).to_contain_text(written)
    assert serious_accessibility_violations(page) == []
    in_view(page, card)
    screenshot(page, "scope-overrides-client")

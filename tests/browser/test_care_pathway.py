"""A Level 5 therapist takes Priya's lateral elbow pain from first visit to discharge."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from softtissue.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ELBOW = "condition.lateral-elbow-tendinopathy"


def screenshot(page: Page, name: str) -> None:
    """Save the visible part of the page when SOFTTISSUE_SCREENSHOT_DIR is set."""
    if screenshots := os.environ.get("SOFTTISSUE_SCREENSHOT_DIR"):
        page.screenshot(path=Path(screenshots) / name, full_page=False)


def log_in_as_level_5(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("l5@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo")


def yes_to(section: Locator, question: str) -> None:
    section.locator("fieldset", has_text=question).get_by_label("Yes", exact=True).check()


def open_elbow_episode(page: Page, base: str) -> str:
    """From the client list to Priya's new elbow episode; its address."""
    page.goto(f"{base}/clients/")
    page.get_by_role("link", name="Shah, Priya").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Shah")
    page.get_by_role("link", name="Open an episode").click()
    page.get_by_label("Presenting problem").fill("Pain on the outside of the right elbow")
    page.get_by_label("Body region").select_option(label="Elbow and forearm")
    page.get_by_role("button", name="Open episode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pain on the outside of the right elbow"
    )
    expect(page.locator(".lede")).to_contain_text("Elbow and forearm")
    expect(page.locator(".lede")).to_contain_text("open")
    return page.url


def assess_lateral_elbow(page: Page) -> None:
    """History, region questions, body chart and Cozen's test: the impression leads."""
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initial assessment: Priya Shah")
    reasoning = page.locator("#reasoning")

    history = page.locator("#section-history")
    history.get_by_label("Onset").select_option("gradual")
    history.get_by_label("Symptom duration (weeks)").fill("10")
    history.get_by_role("button", name="Save history").click()
    expect(history.get_by_label("Symptom duration (weeks)")).to_have_value("10")

    region = page.locator("#section-region")
    yes_to(region, "Is the pain mainly on the outside of the elbow?")
    region.locator(
        "fieldset", has_text="Is the pain mainly on the inside of the elbow?"
    ).get_by_label("No", exact=True).check()
    yes_to(region, "Is the pain brought on by gripping")
    yes_to(region, "Does resisted wrist extension")
    region.get_by_role("button", name="Save region questions").click()
    expect(reasoning).to_contain_text("Pain on gripping: yes")

    chart = page.locator("#section-chart")
    chart.locator('ellipse[data-area="elbow"][data-view="front"][data-side="right"]').click()
    expect(chart.get_by_label("Area")).to_have_value("elbow")
    chart.get_by_label("Symptom").select_option("pain")
    chart.get_by_label("Intensity (0-10)").fill("6")
    chart.get_by_label("Depth").select_option("deep")
    chart.get_by_role("button", name="Add mark").click()
    expect(chart.get_by_role("cell", name="6/10")).to_be_visible()

    record_cozen(page, "Positive")
    expect(reasoning).to_contain_text("Working impression: Lateral elbow tendinopathy")
    expect(reasoning.locator(".candidate-name").first).to_contain_text("Lateral elbow tendinopathy")
    expect(reasoning.get_by_role("alert")).to_have_count(0)


def record_cozen(page: Page, result: str) -> None:
    tests = page.locator("#section-tests")
    tests.locator("fieldset", has_text="Cozen").get_by_label(result, exact=True).check()
    tests.get_by_role("button", name="Save tests").click()
    expect(
        page.locator("#section-tests fieldset", has_text="Cozen").get_by_label(result, exact=True)
    ).to_be_checked()


def give_quickdash(page: Page, episode_url: str, answer: str) -> None:
    """The therapist enters the client's paper QuickDASH, every item the same answer."""
    page.goto(episode_url)
    page.get_by_role("link", name="Outcome measures and progress").click()
    page.get_by_label("Give a measure").select_option("quickdash")
    page.get_by_role("button", name="Open the form").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("QuickDASH")
    for number in range(1, 12):
        page.get_by_label(f"Item {number}", exact=True).select_option(answer)
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome measures")


def test_it_takes_lateral_elbow_pain_from_first_visit_to_discharge(
    live_server: Any, page: Page
) -> None:
    load_demo()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_as_level_5(page, base)
    episode_url = open_elbow_episode(page, base)

    # Assess to a working impression, and record it on the episode.
    assess_lateral_elbow(page)
    page.goto(episode_url)
    page.get_by_label("Working impression being treated").select_option(ELBOW)
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("Working impression recorded.")).to_be_visible()
    expect(page.get_by_label("Working impression being treated")).to_have_value(ELBOW)

    # Baseline QuickDASH: every item 4 scores 75.
    give_quickdash(page, episode_url, "4")
    expect(page.get_by_role("cell", name="75.0")).to_be_visible()
    expect(page.get_by_text("Baseline recorded; give it again to see the change.")).to_be_visible()

    # A treatment plan the scope gate allows.
    page.goto(episode_url)
    page.get_by_role("link", name="New treatment plan").click()
    expect(
        page.get_by_role("heading", name=re.compile("Suggested for Lateral elbow"))
    ).to_be_visible()
    page.get_by_label("Goals").fill(
        "Grip a tennis racket for a full set with pain 2/10 or less within 6 weeks"
    )
    page.get_by_label("Condition treated").select_option(ELBOW)
    suggested = page.locator(".technique-rows select[name$='-technique']")
    expect(suggested.first).to_have_value("technique.effleurage")
    for row in suggested.all():  # keep only the two techniques this plan uses
        row.select_option("")
    page.get_by_label("Technique 1", exact=True).select_option("technique.soft-tissue-release")
    page.get_by_label("Region 1", exact=True).select_option("region.elbow")
    page.get_by_label("Technique 2", exact=True).select_option("technique.deep-transverse-friction")
    page.get_by_label("Region 2", exact=True).select_option("region.elbow")
    page.get_by_label("Frequency").fill("Weekly for 4 weeks")
    page.get_by_label("Review date").fill("2027-01-08")
    page.get_by_role("button", name="Save and check scope").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment plan for Priya Shah")
    expect(page.get_by_role("heading", name="Scope of practice: Allowed")).to_be_visible()
    expect(page.get_by_text("Treatment may go ahead.")).to_be_visible()
    the_plan = page.locator("section", has=page.get_by_role("heading", name="The plan"))
    expect(the_plan).to_contain_text("Lateral elbow tendinopathy")
    expect(the_plan).to_contain_text("Soft tissue release (STR)")
    expect(the_plan).to_contain_text("Deep transverse (corrective) friction")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "pathway-plan.png")

    # A SOAP note, signed and then locked; an addendum after.
    page.get_by_role("link", name="Record a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session note for Priya Shah")
    page.get_by_label("Session date").fill(date.today().isoformat())
    page.get_by_label("Subjective").fill("Grip pain 6/10, worse after tennis on Sunday.")
    page.get_by_label("Objective").fill("Tender over the lateral epicondyle; Cozen's positive.")
    page.get_by_label("Technique 1", exact=True).select_option("technique.soft-tissue-release")
    page.get_by_label("Region 1", exact=True).select_option("region.elbow")
    page.get_by_label("Dosage 1", exact=True).fill("10 minutes")
    page.get_by_label("Technique 2", exact=True).select_option("technique.deep-transverse-friction")
    page.get_by_label("Region 2", exact=True).select_option("region.elbow")
    page.get_by_label("Dosage 2", exact=True).fill("5 minutes")
    page.get_by_label("Client response").fill("Grip pain 4/10 after treatment.")
    page.get_by_label("Advice given").fill("Lift with the palm up; isometric holds daily.")
    page.get_by_label(re.compile(r"^Plan:?$")).fill("Review in a week; start the rehab programme.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session note")
    expect(page.locator(".lede")).to_contain_text("draft")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.locator(".lede")).to_contain_text("signed by")
    expect(page.get_by_text("Signature (SHA-256)")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the draft")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign the note")).to_have_count(0)
    page.get_by_label("Addendum").fill("Client phoned: no flare-up the next morning.")
    page.get_by_role("button", name="Sign and add").click()
    addenda = page.locator("section", has=page.get_by_role("heading", name="Addenda"))
    expect(addenda.get_by_role("listitem")).to_have_count(1)
    expect(addenda).to_contain_text("Client phoned: no flare-up the next morning.")
    expect(page.locator(".soap")).to_contain_text("Grip pain 6/10, worse after tennis on Sunday.")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "pathway-note.png")

    # A rehab programme of two exercises.
    page.goto(episode_url)
    page.get_by_role("link", name="Rehab programme and adherence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rehab programme")
    page.get_by_role("button", name="Add Isometric wrist extension to phase 1").click()
    expect(page.get_by_text("Added Isometric wrist extension.")).to_be_visible()
    page.get_by_role("button", name="Add Wrist extensor stretch to phase 1").click()
    expect(page.get_by_text("Added Wrist extensor stretch.")).to_be_visible()
    prescribed = page.locator(".rehab-table tbody tr")
    expect(prescribed).to_have_count(2)
    expect(prescribed.nth(0)).to_contain_text("Isometric wrist extension")
    expect(prescribed.nth(1)).to_contain_text("Wrist extensor stretch")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "pathway-programme.png")
    page.goto(episode_url)
    expect(page.get_by_text("2 exercises prescribed.")).to_be_visible()

    # Re-assess: Cozen's now negative, QuickDASH all 2s scores 25.
    page.get_by_role("button", name="Start a re-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Re-assessment: Priya Shah")
    record_cozen(page, "Negative")
    give_quickdash(page, episode_url, "2")
    expect(page.get_by_role("cell", name="25.0")).to_be_visible()
    expect(page.locator(".change")).to_contain_text("clinically important")

    # Side by side.
    page.goto(episode_url)
    page.get_by_role("link", name="Compare the first and latest assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Re-assessment side by side")
    expect(
        page.locator(".lede").get_by_role("link", name=re.compile("^Initial assessment"))
    ).to_be_visible()
    expect(
        page.locator(".lede").get_by_role("link", name=re.compile("^Re-assessment"))
    ).to_be_visible()
    cozen = page.get_by_role("row", name=re.compile("Cozen"))
    expect(cozen).to_contain_text(re.compile("positive", re.IGNORECASE))
    expect(cozen).to_contain_text(re.compile("negative", re.IGNORECASE))
    quickdash = page.get_by_role("row", name=re.compile("QuickDASH"))
    expect(quickdash.get_by_role("cell")).to_have_text(["75", "25", re.compile("50 better")])
    expect(quickdash).to_contain_text("clinically important")

    # Discharge, then the discharge summary to the GP (the demo has share-with-GP consent).
    page.goto(episode_url)
    page.get_by_label("Reason for discharge").fill("Goals met: grips and plays tennis pain-free.")
    page.get_by_role("button", name="Discharge", exact=True).click()
    expect(page.get_by_text("Episode discharged.")).to_be_visible()
    expect(page.locator(".lede")).to_contain_text("discharged")
    discharge = page.locator("section", has=page.get_by_role("heading", name="Discharge"))
    expect(discharge).to_contain_text("Goals met: grips and plays tennis pain-free.")
    expect(discharge.get_by_role("button", name="Discharge")).to_have_count(0)
    expect(page.get_by_role("button", name="Start a re-assessment")).to_have_count(0)
    expect(page.get_by_role("link", name="New treatment plan")).to_have_count(0)
    page.get_by_role("link", name="Write a discharge summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discharge summary")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Reason for discharge")).to_have_value(re.compile("Goals met"))
    page.get_by_role("button", name="Write and keep the letter").click()
    expect(page.get_by_text("Discharge summary written and kept.")).to_be_visible()
    expect(page.get_by_text("Re: Priya Shah, date of birth 9 March 1984")).to_be_visible()
    page.goto(episode_url)
    expect(page.get_by_role("link", name=re.compile("^Discharge summary,"))).to_be_visible()

"""The assessment page: every section, the body chart, comparison and a fixed query count."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    Episode,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.questions import suggested_tests

# Session, user, membership, the assessment, its records, the previous assessment and its marks,
# the client's history and medications, the episode's latest STarT Back score, and the
# therapist's qualifications, CPD and insurance (the scope preview asks what the gate asks):
# a fixed number.
MAX_QUERIES = 18


def add_records(assessment: Assessment, count: int) -> None:
    clinic = assessment.clinic
    BodyChartMark.objects.bulk_create(
        BodyChartMark(
            clinic=clinic,
            assessment=assessment,
            area="forearm",
            view="front",
            side="right",
            symptom="ache",
            intensity=i % 11,
            depth="deep",
        )
        for i in range(count)
    )
    RangeOfMotion.objects.bulk_create(
        RangeOfMotion(
            clinic=clinic,
            assessment=assessment,
            movement_id=f"movement-{i}",
            side="left",
            degrees=90,
        )
        for i in range(count)
    )
    SpecialTestResult.objects.bulk_create(
        SpecialTestResult(clinic=clinic, assessment=assessment, test_id=t, result="positive")
        for t in suggested_tests("region.elbow")[:count]
    )


def test_it_shows_every_section(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    html = web.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    for section in ("history", "screening", "region", "chart", "motion", "tests", "notes"):
        assert f'id="section-{section}"' in html
    assert 'id="reasoning"' in html
    assert "Elbow flexion" in html and "150°" in html
    assert "Cozen" in html
    assert 'data-area="elbow"' in html
    assert "unanswered</strong>" in html


def test_it_labels_every_field(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    html = web.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()

    for match in re.finditer(r'<(?:input|select|textarea)[^>]*id="([^"]+)"', html):
        if 'type="hidden"' in match.group(0):
            continue  # the values the page showed (audit/edits.py): nothing to label
        field_id = match.group(1)
        assert f'for="{field_id}"' in html, f"{field_id} has no label"


def test_it_shows_the_previous_marks_on_a_reassessment(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    add_records(assessment, 1)
    later = Assessment.objects.create(
        clinic=assessment.clinic, episode=assessment.episode, kind="reassessment"
    )
    web.force_login(alice)
    html = web.get(reverse("assessment_detail", args=[later.pk])).content.decode()
    assert "Previous assessment" in html
    assert "Ache" in html


def page_queries(web: WebClient, assessment: Assessment, count: int) -> int:
    add_records(assessment, count)
    later = Assessment.objects.create(
        clinic=assessment.clinic, episode=assessment.episode, kind="reassessment"
    )
    add_records(later, count)
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("assessment_detail", args=[later.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_the_query_count_flat(
    web: WebClient, alice: User, episode: Episode, django_assert_max_num_queries: Any
) -> None:
    web.force_login(alice)
    few = Assessment.objects.create(clinic=episode.clinic, episode=episode)
    many_episode = Episode.objects.create(
        clinic=episode.clinic,
        client=episode.client,
        presenting_problem="Other",
        region=episode.region,
    )
    many = Assessment.objects.create(clinic=episode.clinic, episode=many_episode)
    assert page_queries(web, few, 1) == page_queries(web, many, 40)
    latest = Assessment.objects.filter(episode=many_episode).order_by("-pk").first()
    with django_assert_max_num_queries(MAX_QUERIES):
        web.get(reverse("assessment_detail", args=[latest.pk]))

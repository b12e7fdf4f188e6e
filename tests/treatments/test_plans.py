"""Writing a plan: bad input is shown next to its field and nothing is saved."""

from __future__ import annotations

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.treatments.models import PlanTechnique, ScopeDecision, TreatmentPlan
from tests.treatments.conftest import plan_data


def test_it_saves_goals_techniques_and_the_decision(
    web: WebClient, elbow: Episode, level5: User
) -> None:
    web.force_login(level5)
    rows = [
        ("technique.soft-tissue-release", "region.elbow"),
        ("technique.effleurage", "region.wrist-hand"),
    ]
    response = web.post(f"/episodes/{elbow.pk}/plans/new/", plan_data(rows))
    plan = TreatmentPlan.objects.get(episode=elbow)
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.therapist == level5.therapist
    assert plan.clinic_id == elbow.clinic_id
    assert list(PlanTechnique.objects.values_list("technique", "region")) == rows
    assert ScopeDecision.objects.get(plan=plan).items


def test_it_refuses_a_technique_the_knowledge_base_does_not_know(
    web: WebClient, elbow: Episode, level5: User
) -> None:
    web.force_login(level5)
    data = plan_data([("technique.reiki", "region.elbow")], goals="Typed goals stay")
    response = web.post(f"/episodes/{elbow.pk}/plans/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The knowledge base does not know technique.reiki" in page
    assert "Typed goals stay" in page
    assert not TreatmentPlan.objects.exists()
    assert not PlanTechnique.objects.exists()


def test_it_needs_goals_and_what_is_treated(web: WebClient, elbow: Episode, level5: User) -> None:
    web.force_login(level5)
    data = plan_data([], goals="", condition="")
    response = web.post(f"/episodes/{elbow.pk}/plans/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the goals: specific and measurable." in page
    assert "Choose the condition treated, or a condition category." in page
    assert not TreatmentPlan.objects.exists()


def test_it_needs_a_region_for_each_technique(web: WebClient, elbow: Episode, level5: User) -> None:
    web.force_login(level5)
    response = web.post(
        f"/episodes/{elbow.pk}/plans/new/", plan_data([("technique.effleurage", "")])
    )
    assert response.status_code == 400
    assert "Choose the region this technique is used on." in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_it_lists_plans_on_the_episode_page(
    web: WebClient, elbow: Episode, allowed_plan: TreatmentPlan
) -> None:
    page = web.get(f"/episodes/{elbow.pk}/").content.decode()
    assert f"/plans/{allowed_plan.pk}/" in page
    assert "Allowed" in page


def test_it_starts_the_plan_with_the_suggestions_in_scope(
    web: WebClient, hamstring: Episode, level3: User
) -> None:
    web.force_login(level3)
    response = web.get(f"/episodes/{hamstring.pk}/plans/new/")
    rows = response.context["rows"]
    chosen = [form.initial["technique"] for form in rows.forms if form.initial]
    assert "technique.effleurage" in chosen
    assert "technique.soft-tissue-release" not in chosen
    assert "technique.rehab-exercise-prescription" not in chosen


def test_it_refuses_a_technique_listed_twice_for_a_region(
    web: WebClient, elbow: Episode, level5: User
) -> None:
    web.force_login(level5)
    str_elbow = ("technique.soft-tissue-release", "region.elbow")
    response = web.post(f"/episodes/{elbow.pk}/plans/new/", plan_data([str_elbow, str_elbow]))
    assert response.status_code == 400
    assert "listed twice for the same region" in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_it_offers_today_as_the_session_date(
    web: WebClient, allowed_plan: TreatmentPlan, level5: User
) -> None:
    web.force_login(level5)
    page = web.get(f"/episodes/{allowed_plan.episode_id}/notes/new/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page

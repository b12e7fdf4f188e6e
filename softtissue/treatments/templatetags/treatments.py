"""The treatment summary shown on the episode page."""

from __future__ import annotations

from typing import Any

from django import template

from softtissue.assessments.models import Episode
from softtissue.treatments.models import TreatmentNote, TreatmentPlan

register = template.Library()


@register.inclusion_tag("treatments/episode_treatment.html")
def episode_treatment(episode: Episode) -> dict[str, Any]:
    """The episode's plans with their scope outcome, and its session notes."""
    scoped = {"clinic_id": episode.clinic_id, "episode": episode}
    plans = TreatmentPlan.objects.filter(**scoped).select_related("scope_decision")
    notes = TreatmentNote.objects.filter(**scoped)
    return {"episode": episode, "plans": list(plans), "notes": list(notes)}

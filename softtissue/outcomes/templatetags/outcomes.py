"""The outcome-measure summary shown on the episode page."""

from __future__ import annotations

from typing import Any

from django import template

from softtissue.assessments.models import Episode
from softtissue.outcomes.services import progress

register = template.Library()


@register.inclusion_tag("outcomes/episode_summary.html")
def episode_outcomes(episode: Episode) -> dict[str, Any]:
    """Each measure's latest score, band and change since baseline, with a link to the detail."""
    return {"episode": episode, "rows": progress(episode)}

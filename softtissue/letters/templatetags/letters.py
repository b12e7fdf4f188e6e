"""The letters card shown on the episode page."""

from __future__ import annotations

from typing import Any

from django import template

from softtissue.assessments.models import Episode
from softtissue.letters.models import Letter

register = template.Library()


@register.inclusion_tag("letters/episode_card.html")
def episode_letters(episode: Episode) -> dict[str, Any]:
    """The episode's kept letters, links to write new ones and to compare assessments."""
    letters = Letter.objects.filter(clinic_id=episode.clinic_id, episode=episode).defer(
        "pdf", "html"
    )
    return {"episode": episode, "letters": list(letters), "kinds": Letter.Kind.choices}

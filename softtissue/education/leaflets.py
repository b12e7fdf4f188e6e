"""Condition leaflets as the knowledge base writes them, found by text and by tag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from softtissue.clients.normalise import fold
from softtissue.reasoning import default_knowledge


@dataclass(frozen=True, slots=True)
class Leaflet:
    """A plain-English leaflet about one condition."""

    condition_id: str
    condition: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]

    @property
    def paragraphs(self) -> list[str]:
        """The body split at blank lines, each paragraph on one line."""
        return [" ".join(part.split()) for part in self.body.split("\n\n") if part.strip()]


@lru_cache(maxsize=1)
def all_leaflets() -> tuple[Leaflet, ...]:
    """Every condition leaflet in the knowledge base, by title (the knowledge is loaded once)."""
    leaflets = [
        Leaflet(
            condition_id=condition_id,
            condition=str(entry.get("name", condition_id)),
            title=str(entry["leaflet"]["title"]),
            summary=str(entry["leaflet"]["summary"]),
            body=str(entry["leaflet"]["body"]),
            tags=tuple(str(tag) for tag in entry["leaflet"].get("tags") or ()),
        )
        for condition_id, entry in default_knowledge().conditions.items()
        if entry.get("leaflet")
    ]
    return tuple(sorted(leaflets, key=lambda leaflet: leaflet.title.casefold()))


def leaflet_for(condition_id: str) -> Leaflet | None:
    """The leaflet for one condition, or None."""
    return next((item for item in all_leaflets() if item.condition_id == condition_id), None)


def all_tags() -> list[str]:
    """Every tag used by a leaflet, alphabetically."""
    return sorted({tag for leaflet in all_leaflets() for tag in leaflet.tags}, key=str.casefold)


def find_leaflets(text: str = "", tag: str = "") -> list[Leaflet]:
    """Leaflets containing every word of the text (title, summary, body, tags) and the tag."""
    words = fold(text).split()
    found = []
    for leaflet in all_leaflets():
        if tag and tag not in leaflet.tags:
            continue
        haystack = fold(
            " ".join(
                (leaflet.title, leaflet.condition, leaflet.summary, leaflet.body, *leaflet.tags)
            )
        )
        if all(word in haystack for word in words):
            found.append(leaflet)
    return found

"""The qualifications a therapist can hold, as named by the knowledge base."""

from __future__ import annotations

from functools import cache


@cache
def qualification_choices() -> dict[str, str]:
    """Qualification id -> label, for forms and validation."""
    # Imported here so that loading Django models never parses the knowledge base.
    from softtissue.reasoning.knowledge import default_knowledge

    knowledge = default_knowledge()
    return {key: str(entry["label"]) for key, entry in knowledge.qualifications.items()}


@cache
def cpd_choices() -> dict[str, str]:
    """CPD course id -> label, for forms and validation."""
    from softtissue.reasoning.knowledge import default_knowledge

    return {key: str(entry["label"]) for key, entry in default_knowledge().cpd.items()}


@cache
def insurer_choices() -> dict[str, str]:
    """Insurance schedule id -> name, for forms and validation."""
    from softtissue.reasoning.knowledge import default_knowledge

    return {key: str(entry["name"]) for key, entry in default_knowledge().insurers.items()}

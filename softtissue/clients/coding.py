"""Match what was typed for history and medicines to the knowledge vocabulary, where it matches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from softtissue.clients.normalise import name_words
from softtissue.reasoning import Knowledge, default_knowledge

MEDICAL_HISTORY = "medical_history"


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary entry a typed item can be coded to."""

    code: str
    label: str
    question: str = ""


def history_terms(kb: Knowledge | None = None) -> tuple[Term, ...]:
    """The knowledge's medical-history findings, in the order the knowledge lists them."""
    kb = kb or default_knowledge()
    return tuple(
        Term(code, finding.label, finding.question)
        for code, finding in kb.findings.items()
        if finding.kind == MEDICAL_HISTORY
    )


def medication_terms(kb: Knowledge | None = None) -> tuple[Term, ...]:
    """The knowledge's medications."""
    kb = kb or default_knowledge()
    return tuple(Term(med_id, str(entry["name"])) for med_id, entry in kb.medications.items())


def match_history(text: str, kb: Knowledge | None = None) -> str | None:
    """The medical-history finding code the text names, or None (the text is kept either way)."""
    words = name_words(text)
    for term in history_terms(kb):
        for key in (name_words(term.label), term.code.split("_")):
            if words[: len(key)] == key:
                return term.code
    return None


def match_medication(text: str, kb: Knowledge | None = None) -> str | None:
    """The knowledge medication id the text names (generic or brand name first), or None."""
    words = name_words(text)
    for med_id, keys in _medication_keys(kb or default_knowledge()):
        if any(words[: len(key)] == key for key in keys):
            return med_id
    return None


def _medication_keys(kb: Knowledge) -> Iterator[tuple[str, list[list[str]]]]:
    for term in medication_terms(kb):
        yield term.code, _name_keys(term.label, term.code)


@lru_cache(maxsize=256)
def _name_keys_cached(label: str, code: str) -> tuple[tuple[str, ...], ...]:
    # "Apixaban (Eliquis)": the generic name, the id's own words and each bracketed brand name.
    # Descriptions in brackets ("long-term oral corticosteroid") are not names and never match
    # a typed medicine's first words, so they do no harm as keys.
    main, _, bracket = label.partition("(")
    keys = [name_words(main), code.partition(".")[2].split("-")]
    keys += [name_words(part) for part in re.split(r",|for example", bracket.rstrip(")"))]
    return tuple(tuple(key) for key in keys if key)


def _name_keys(label: str, code: str) -> list[list[str]]:
    return [list(key) for key in _name_keys_cached(label, code)]

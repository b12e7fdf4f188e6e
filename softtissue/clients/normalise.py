"""Normalised forms of names, phone numbers, emails and dates, shared by saving and searching."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def fold(text: str) -> str:
    """Lower case without accents: 'Zoë' and 'zoe' are the same to a receptionist."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_words(text: str) -> list[str]:
    """The words of a name or query, folded, split at spaces and punctuation."""
    return [word for word in _NOT_WORD.split(fold(text)) if word]


def name_terms(*names: str) -> set[str]:
    """Searchable terms: each word, and each name with its punctuation removed (O'Brien)."""
    terms: set[str] = set()
    for name in names:
        words = name_words(name)
        terms.update(words)
        if len(words) > 1:
            terms.add("".join(words))
    return {term[:100] for term in terms}


def sort_name(first_name: str, last_name: str) -> str:
    """The key search results are ordered by: last name then first name, folded."""
    return fold(f"{last_name} {first_name}")[:201]


def phone_digits(phone: str) -> str:
    """Digits only, with +44 / 0044 turned into the national 0 prefix."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def looks_like_phone(text: str) -> bool:
    """True for a query made of digits and phone punctuation, with at least three digits."""
    return bool(_PHONE_CHARS.match(text)) and len(re.sub(r"\D", "", text)) >= 3


def email_key(email: str) -> str:
    """An email address as compared: trimmed and lower case."""
    return email.strip().lower()


def parse_date(text: str) -> date | None:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd, or None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None

"""Secret link tokens for the clinic's tablet: shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def token_hash(token: str) -> str:
    """The only form in which a link's token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh unguessable token and its hash."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)

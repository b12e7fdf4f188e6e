"""The Content Security Policy and the other security headers on every kind of response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.parametrize(
    ("path", "logged_in"),
    [
        ("/login/", False),
        ("/", True),
        ("/admin/", True),
        ("/api/v1/docs", True),
        ("/api/v1/clients", True),
    ],
)
def test_it_sends_the_security_headers(
    web: WebClient, owner: User, path: str, logged_in: bool
) -> None:
    if logged_in:
        web.force_login(owner)
    response = web.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_it_serves_the_api_docs_without_a_cdn(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    page = web.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert all(s.startswith("/") for s in sources), sources
    assert "<script>" not in page  # nothing inline for the policy to block


TEMPLATES = Path(__file__).resolve().parents[2] / "softtissue"


def test_it_keeps_inline_styles_and_scripts_out_of_the_pages() -> None:
    # PDFs (letters) are rendered by WeasyPrint, not a browser, so the policy does not apply.
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if "pdf" in template.name or "/pdf/" in str(template) or "letters/letter" in str(template):
            continue
        text = template.read_text()
        if re.search(r'\sstyle="|<script>|\son[a-z]+="|javascript:', text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []

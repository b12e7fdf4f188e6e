"""The longest letter the input limits allow: seconds to render it with WeasyPrint.

    .venv/bin/python bench/bench_letter_pdf.py [--runs 3] [--json]

A discharge summary (the kind with the most sections) is built in memory, every section filled
to its limit (softtissue/limits.py) in one of several shapes, and rendered by the same code as a
kept letter (letters/services.py: render_letter, pdf_bytes). Line breaks cost the layout far
more than characters, so the shapes spend the limit on lines in different ways. The median of
the runs is reported, with the pages and size of the PDF. No database is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def shapes(max_chars: int, max_lines: int) -> dict[str, Callable[[int, int], str]]:
    """Ways to fill one section of at most max_chars characters on max_lines lines."""
    words = ("Lifting " * (max_chars // 8 + 1))[:max_chars]
    width = max_chars // max_lines - 1  # each line as long as the line count still allows
    return {
        "every line used, each as long as it can be": lambda c, n: "\n".join(["x" * width] * n),
        "every line a single character": lambda c, n: "\n".join(["x"] * n),
        "one paragraph of words": lambda c, n: words,
        "lines that wrap once (100 characters)": lambda c, n: "\n".join(
            ["word " * 20] * (c // 101)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softtissue.settings")
    os.environ.setdefault("SOFTTISSUE_DATA_DIR", tempfile.mkdtemp(prefix="bench-letter-"))
    import django

    django.setup()
    from weasyprint import HTML  # type: ignore[import-untyped]

    from softtissue.accounts.models import Clinic
    from softtissue.assessments.models import Episode
    from softtissue.clients.models import Client
    from softtissue.letters.models import BODY_FIELDS, Letter
    from softtissue.letters.services import pdf_bytes, render_letter
    from softtissue.limits import KINDS, TextLimitValidator

    clinic = Clinic(name="C" * 200)
    client = Client(clinic=clinic, first_name="F" * 100, last_name="L" * 100)
    client.date_of_birth = date(1980, 1, 1)
    episode = Episode(clinic=clinic, client=client)
    results = []
    for shape in shapes(KINDS["letter"].max_chars, KINDS["letter"].max_lines):
        letter = Letter(kind=Letter.Kind.DISCHARGE, episode=episode, recipient="gp")
        letter.consent_statement = "Consent recorded."
        for name in BODY_FIELDS:
            field = Letter._meta.get_field(name)
            limits = [v.limit for v in field.validators if isinstance(v, TextLimitValidator)]
            if not limits:
                setattr(
                    letter, name, "N" * (field.max_length or 0) if name != "recipient" else "gp"
                )
                continue
            limit = limits[0]
            text = shapes(limit.max_chars, limit.max_lines)[shape](limit.max_chars, limit.max_lines)
            assert limit.problem(text) is None, (name, shape, limit.problem(text))
            setattr(letter, name, text)
        html = render_letter(letter, None)
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf = pdf_bytes(html)
            seconds.append(time.perf_counter() - started)
        results.append(
            {
                "shape": shape,
                "seconds": round(statistics.median(seconds), 2),
                "pages": len(HTML(string=html).render().pages),
                "pdf_kib": len(pdf) // 1024,
            }
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("| every section filled with | seconds (median) | PDF pages | PDF KiB |")
    print("| --- | ---: | ---: | ---: |")
    for row in results:
        print(f"| {row['shape']} | {row['seconds']:.2f} | {row['pages']} | {row['pdf_kib']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`softtissue score MEASURE --answers "2,1,3,-,..." [--json]`: score one completed form."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

import softtissue
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.measures import (
    AnswerError,
    Score,
    UnknownMeasureError,
    load_measures,
    score,
)

MEASURES_DIR = Path(softtissue.__file__).parent / "knowledge" / "measures"
MISSING = "-"


def parse_answers(text: str) -> list[int | float | None]:
    """Comma-separated answers in official item order; `-` marks a missing item."""
    answers: list[int | float | None] = []
    for position, raw in enumerate(text.split(","), start=1):
        token = raw.strip()
        if token == MISSING:
            answers.append(None)
            continue
        try:
            answers.append(int(token))
        except ValueError:
            try:
                answers.append(float(token))
            except ValueError:
                raise CommandError(
                    f"answer {position} is '{token}': give a number, or - for a missing item",
                    returncode=2,
                ) from None
    return answers


def _number(value: float | None) -> str:
    # Display only: one decimal place, half away from zero; the JSON keeps full precision.
    if value is None:
        return "-"
    return f"{int(abs(value) * 10 + 0.5) / 10 * (1 if value >= 0 else -1):.1f}"


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure scoring: no database, no checks
    help = "Score one completed outcome measure (answers in official item order, - for missing)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("measure", help="measure id, e.g. odi, koos, start_back")
        parser.add_argument("--answers", required=True, help='e.g. "2,1,3,-,2,1,0,1,2,2"')
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definitions = load_measures(MEASURES_DIR)
            result = score(options["measure"], parse_answers(options["answers"]), definitions)
        except (UnknownMeasureError, AnswerError, KnowledgeError) as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self._print_table(result, definitions[result.measure].name)

    def _print_table(self, result: Score, name: str) -> None:
        table = Table(title=name)
        for column in ("", "score", "band", "note"):
            table.add_column(column)
        rows = [("total", result.score, result.band, result.reason)]
        rows += [(key, sub.score, sub.band, sub.reason) for key, sub in result.subscales.items()]
        for label, value, band, note in rows:
            table.add_row(label, _number(value), band or "", note or "")
        console = Console(file=cast(IO[str], self.stdout), width=100)
        console.print(table)

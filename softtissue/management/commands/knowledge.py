"""`softtissue knowledge check|list|findings`: validate and browse the clinical knowledge base."""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from softtissue.reasoning import (
    KnowledgeError,
    check_knowledge,
    default_knowledge,
    findings_json,
    knowledge_counts,
)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure knowledge work: no database, no checks
    help = "Validate the knowledge base (check), count its entries (list), or list its findings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "list", "findings"])
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        if options["action"] == "check":
            self.report_problems(console, options["json"])
            return
        try:
            kb = default_knowledge()
        except KnowledgeError as error:
            raise CommandError(
                f"the knowledge base is invalid: {error} (run `softtissue knowledge check`)",
                returncode=2,
            ) from None
        if options["action"] == "list":
            counts = knowledge_counts(kb)
            if options["json"]:
                entries = {
                    "conditions": sorted(kb.conditions),
                    "special_tests": sorted(kb.special_tests),
                    "red_flags": sorted(kb.red_flags),
                    "contraindications": sorted(kb.contraindications),
                    "techniques": sorted(kb.techniques),
                    "qualifications": sorted(kb.qualifications),
                    "cpd": sorted(kb.cpd),
                    "exercises": sorted(kb.exercises),
                    "measures": sorted(kb.measures),
                    "regions": sorted(kb.regions),
                    "cases": sorted(kb.cases),
                }
                self.print_json({"counts": counts, "findings": len(kb.findings), **entries})
                return
            table = Table(title="Knowledge base")
            table.add_column("Kind")
            table.add_column("Entries", justify="right")
            for kind, count in counts.items():
                table.add_row(kind.replace("_", " "), str(count))
            table.add_row("findings", str(len(kb.findings)))
            console.print(table)
            return
        rows = findings_json(kb)
        if options["json"]:
            self.print_json(rows)
            return
        table = Table(title=f"Finding vocabulary ({len(rows)} codes)")
        for column in ("Code", "Type", "Label", "Question"):
            table.add_column(column)
        for row in rows:
            kind = row["type"]
            if kind == "number":
                kind = f"number {row['min']}-{row['max']}"
            elif kind == "choice":
                kind = "choice: " + ", ".join(row["choices"])
            table.add_row(row["code"], kind, row["label"], row["question"])
        console.print(table)

    def report_problems(self, console: Console, as_json: bool) -> None:
        """Print every problem and exit 1, or say the knowledge base is valid."""
        problems = check_knowledge()
        if as_json:
            self.print_json({"valid": not problems, "problems": [str(p) for p in problems]})
        elif problems:
            console.print(f"[bold red]{len(problems)} problem(s) in the knowledge base:[/]")
            for problem in problems:
                console.print(f"- {problem}", markup=False)
        else:
            counts = knowledge_counts(default_knowledge())
            summary = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
            console.print(f"Knowledge base is valid: {summary}.")
        if problems:
            raise SystemExit(1)

    def print_json(self, data: object) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

"""`softtissue reason CASE_FILE`: triage, contraindications, working impression and scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from softtissue.reasoning import (
    CaseError,
    KnowledgeError,
    default_knowledge,
    evaluate,
    evaluation_json,
    load_case,
)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure knowledge work: no database, no checks
    help = "Reason about a case file (JSON or YAML) and print what the core concludes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_file", metavar="CASE_FILE", type=Path)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kb = default_knowledge()
            case = load_case(options["case_file"], kb)
        except (CaseError, KnowledgeError) as error:
            raise CommandError(str(error), returncode=2) from None
        result = evaluation_json(evaluate(case, kb))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        self.print_readable(result)

    def print_readable(self, result: dict[str, Any]) -> None:
        """A summary for a person at a terminal."""
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        triage = result["triage"]
        if triage["urgency"] == "none":
            console.print("Triage: no red flags fired.")
        for flag in triage["flags"]:
            console.print(
                f"[bold red]{flag['urgency']}[/]: {flag['message']} Refer: {flag['referral']}. "
                f"Because: {', '.join(flag['because'])}."
            )
        for hit in result["contraindications"]:
            console.print(f"Contraindication ({hit['tier']}): {hit['name']}. {hit['action']}")
        summary = result["differential_summary"]
        console.print(f"\n[bold]Working impression[/] ({summary['message']})")
        for row in result["differential"][:5]:
            # A percentage only where every LR behind it is published; otherwise words alone.
            shown = f"{row['percent']}%" if row["percent"] is not None else ""
            console.print(f"  {row['strength']:<12} {shown:>4}  {row['name']}", markup=False)
        scope = result["scope"]
        if scope is not None:
            console.print(f"\n[bold]Scope[/]: {scope['outcome']}")
            for item in scope["items"]:
                if item["outcome"] != "allow":
                    console.print(f"  {item['outcome']}: {item['reason']}", markup=False)
            if scope["referral"]:
                console.print(f"  Refer to: {scope['referral']}", markup=False)
        for net in result["safety_nets"]:
            console.print(f"\n[bold]Tell the client[/]: {net['name']}")
            console.print(f"  {net['tell']}", markup=False)
            for group in net["seek_help"]:
                console.print(f"  {group['where']} if:", markup=False)
                for sign in group["signs"]:
                    console.print(f"    - {sign}", markup=False)
            console.print(f"  {net['review']}", markup=False)

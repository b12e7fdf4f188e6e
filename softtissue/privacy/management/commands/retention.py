"""softtissue retention: the records past their retention date and under no legal hold."""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from softtissue.accounts.models import Clinic
from softtissue.privacy.retention import due_for_erasure, policy


class Command(BaseCommand):
    """List, per clinic, the clients whose record may now be erased (numbers, no names)."""

    help = (
        "List the records past their retention date with no legal hold, per clinic: client "
        "number, last activity, the date erasure became possible and why. Erases nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--clinic", type=int, help="only this clinic (its number)")

    def handle(self, *args: Any, **options: Any) -> None:
        clinics = Clinic.objects.order_by("pk")
        if options["clinic"] is not None:
            clinics = clinics.filter(pk=options["clinic"])
            if not clinics.exists():
                raise CommandError(f"There is no clinic {options['clinic']}.")
        today = timezone.localdate()
        years, child_age = policy()
        report: list[dict[str, Any]] = [
            {
                "clinic": clinic.pk,
                "clinic_name": clinic.name,
                "due": [
                    {
                        "client": row.client_id,
                        "last_activity": row.retention.last_activity.isoformat(),
                        "erase_from": row.retention.erase_from.isoformat(),
                        "reason": row.retention.reason,
                    }
                    for row in due_for_erasure(clinic, today)
                ],
            }
            for clinic in clinics
        ]
        if options["json"]:
            policy_json = {"years_after_last_treatment": years, "child_age": child_age}
            data = {"date": today.isoformat(), "policy": policy_json, "clinics": report}
            self.stdout.write(json.dumps(data, indent=2))
            return
        console = Console(file=cast(IO[str], self.stdout), width=120)
        for clinic in report:
            table = Table(
                title=f"{clinic['clinic_name']} (clinic {clinic['clinic']}): due on {today}"
            )
            for column in ("Client", "Last activity", "Erase from", "Why"):
                table.add_column(column)
            for row in clinic["due"]:
                table.add_row(
                    str(row["client"]), row["last_activity"], row["erase_from"], row["reason"]
                )
            console.print(table if clinic["due"] else f"{table.title}: none")

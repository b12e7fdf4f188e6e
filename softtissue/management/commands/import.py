"""`softtissue import clients FILE`: clients from a Cliniko export or a CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from softtissue.accounts.models import Clinic
from softtissue.interop.importing import FORMATS, FileProblem, import_clients

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class RichReporter:
    """A Rich progress bar on a terminal; on a pipe or file, a line at every tenth of a stage."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self.task: TaskID | None = None
        self.stage = ""
        self.total = 0
        self.done = 0

    def start(self, stage: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.total)
        self.task = self.progress.add_task(stage, total=total)
        self.stage, self.total, self.done = stage, total, 0
        self.plain(f"{stage}: 0/{total}")

    def advance(self, count: int) -> None:
        assert self.task is not None
        before = self.done * 10 // max(self.total, 1)
        self.done += count
        self.progress.advance(self.task, count)
        if self.done * 10 // max(self.total, 1) > before:
            self.plain(f"{self.stage}: {self.done}/{self.total}")

    def plain(self, line: str) -> None:
        """A progress line for output that is not a terminal (logs, tests, pipes)."""
        if not self.console.is_terminal:
            self.console.print(line)
            self.console.file.flush()


class Command(BaseCommand):
    help = (
        "Import clients (and Cliniko appointments) from a CSV file: every row is checked first, "
        "and either the whole file is imported or nothing is. See docs/import.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["clients"], help="what the file holds")
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=FORMATS,
            help="cliniko (a Cliniko patient export) or csv (the documented columns); "
            "by default Cliniko when the header has a 'Patient ID' column",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--clinic", type=int, help="the clinic's id (needed when there is more than one)"
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="import rows with the same name and date of birth as another (reported as "
            "warnings); by default they stop the import",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # No emoji codes either: ':smile:' in a cell is text, printed as typed.
        console = Console(
            file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True, emoji=False
        )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file", returncode=EXIT_USAGE)
        clinic = choose_clinic(options["clinic"])
        reporter = RichReporter(console)
        try:
            with reporter.progress:
                result = import_clients(
                    path,
                    clinic,
                    reporter,
                    file_format=options["file_format"],
                    dry_run=options["dry_run"],
                    allow_duplicates=options["allow_duplicates"],
                )
        except FileProblem as refused:
            raise CommandError(
                f"{refused.message} Nothing was imported.",
                returncode=EXIT_USAGE if refused.usage else EXIT_PROBLEMS,
            ) from None
        checked = result.checked
        console.print(f"Format: {checked.format}; read as {checked.encoding} text.")
        # Problems quote the file's cells and headers: '[red]' or '[/bold]' there is text, not
        # Rich markup (an unmatched closing tag would otherwise stop the command).
        for warning in checked.warnings:
            console.print(f"Warning: {escape(str(warning))}")
        if checked.problems:
            for problem in checked.problems:
                console.print(f"Problem: {escape(str(problem))}")
            count = len(checked.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {path.name}: nothing was imported. "
                "Fix them and run the import again.",
                returncode=EXIT_PROBLEMS,
            )
        clients, appointments = len(checked.candidates), checked.appointment_count
        if result.written:
            console.print(
                f"Imported {clients} clients and {appointments} appointments into "
                f"{escape(clinic.name)}."
            )
        else:
            console.print(
                f"Dry run: {clients} clients and {appointments} appointments would be imported "
                f"into {escape(clinic.name)}; nothing was written."
            )


def choose_clinic(clinic_id: int | None) -> Clinic:
    """The clinic named, or the only one; anything else is a usage error."""
    if clinic_id is not None:
        clinic = Clinic.objects.filter(pk=clinic_id).first()
        if clinic is None:
            raise CommandError(f"there is no clinic with id {clinic_id}", returncode=EXIT_USAGE)
        return clinic
    clinics = list(Clinic.objects.order_by("pk")[:21])
    if not clinics:
        raise CommandError("there is no clinic yet: create one first", returncode=EXIT_USAGE)
    if len(clinics) > 1:
        listed = ", ".join(f"{c.pk} ({c.name})" for c in clinics[:20])
        raise CommandError(
            f"there is more than one clinic: choose one with --clinic ID ({listed})",
            returncode=EXIT_USAGE,
        )
    return clinics[0]

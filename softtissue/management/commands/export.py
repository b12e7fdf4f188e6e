"""`softtissue export fhir OUT [--client ID] [--clinic ID]`: FHIR R4B Bundle to a file or stdout."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client
from softtissue.interop.fhir import clients_for_export, write_clinic_bundle

CHUNK_SIZE = 200


class Command(BaseCommand):
    help = (
        "Export clinical records as a FHIR R4B collection Bundle: one client (--client) or every "
        "client of a clinic, streamed. OUT is a file path, or - for standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["fhir"], help="export format (only fhir)")
        parser.add_argument("out", metavar="OUT", help="file to write, or - for stdout")
        parser.add_argument("--client", type=int, metavar="ID", help="only this client")
        parser.add_argument(
            "--clinic",
            type=int,
            metavar="ID",
            help="the clinic (needed when the database holds more than one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = self.choose_clinic(options["clinic"], options["client"])
        clients = clients_for_export(clinic)
        if options["client"] is not None:
            clients = clients.filter(pk=options["client"])
            if not clients.exists():
                raise CommandError(
                    f"There is no client {options['client']} in clinic {clinic.pk}.", returncode=2
                )
        total = clients.count()
        with self.destination(options["out"]) as out, self.progress(total) as advance:
            entries = write_clinic_bundle(
                out, clinic, chunk_size=CHUNK_SIZE, clients=clients, on_client=advance
            )
        if options["out"] != "-":
            self.stderr.write(f"Wrote {entries} resources for {total} clients to {options['out']}")

    def choose_clinic(self, clinic_id: int | None, client_id: int | None) -> Clinic:
        """The clinic named, or the client's, or the only one; otherwise a clear refusal."""
        if clinic_id is not None:
            clinic = Clinic.objects.filter(pk=clinic_id).first()
            if clinic is None:
                raise CommandError(f"There is no clinic {clinic_id}.", returncode=2)
            return clinic
        if client_id is not None:
            client = Client.objects.select_related("clinic").filter(pk=client_id).first()
            if client is None:
                raise CommandError(f"There is no client {client_id}.", returncode=2)
            return client.clinic
        clinics = list(Clinic.objects.order_by("pk")[:2])
        if not clinics:
            raise CommandError("There is no clinic to export.", returncode=2)
        if len(clinics) > 1:
            raise CommandError(
                "This database holds more than one clinic: choose one with --clinic ID.",
                returncode=2,
            )
        return clinics[0]

    @contextlib.contextmanager
    def destination(self, out: str) -> Iterator[io.TextIOBase]:
        """Stdout, or a temporary file beside OUT renamed over it only when complete."""
        if out == "-":
            yield cast(io.TextIOBase, self.stdout)
            return
        target = Path(out)
        if target.is_dir():
            raise CommandError(f"{out} is a directory: give a file name.", returncode=2)
        try:
            handle, temporary = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
        except OSError as error:
            raise CommandError(f"Cannot write to {out}: {error.strerror}.", returncode=2) from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                yield cast(io.TextIOBase, stream)
            os.chmod(temporary, 0o600)  # clinical records: readable by the owner only
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                f"Could not finish writing {out}: {error.strerror}; it was left unchanged.",
                returncode=2,
            ) from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @contextlib.contextmanager
    def progress(self, total: int) -> Iterator[Callable[[], None]]:
        """A Rich progress bar on stderr when it is a terminal; nothing otherwise."""
        if not sys.stderr.isatty():
            yield lambda: None
            return
        console = Console(file=cast(IO[str], sys.stderr))
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Exporting clients", total=total)
            yield lambda: bar.advance(task)

"""`softtissue serve`: migrate, optionally load the demo, and serve with gunicorn."""

from __future__ import annotations

import os
import socket
import sys
from typing import IO, Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from rich.console import Console
from rich.table import Table

from softtissue.demo import DEMO_PASSWORD, load_demo
from softtissue.gunicorn_errors import REQUEST_LINE_LIMIT, WORKER_CLASS
from softtissue.interop.backup_safety import BackupError, hold_for_serving
from softtissue.planner import refresh_statistics

# The route's name (softtissue.logs.RouteMiddleware), never the path or query string: a client
# link's path is its secret, and a search for a client's name must not reach the log either.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %({softtissue.route}e)s" %(s)s %(b)s %(M)sms'


def port_is_free(host: str, port: int) -> bool:
    """True when nothing is listening on host:port, so gunicorn can bind it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def database_description() -> str:
    """Where the database is, without any password."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database {db['NAME']!r} on {db.get('HOST') or 'the local socket'}"


class Command(BaseCommand):
    help = "Apply migrations, load the demo clinics with --demo, and serve softtissue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="load the demo clinics and logins")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a valid port: use 1 to 65535", returncode=2)
        if not 1 <= options["workers"] <= 32:
            raise CommandError("--workers must be between 1 and 32", returncode=2)
        if not port_is_free(host, port):
            raise CommandError(
                f"port {port} on {host} is in use: stop the other program or choose --port",
                returncode=2,
            )
        try:
            # Held by gunicorn and its workers after the exec: `restore` refuses while it is.
            hold_for_serving()
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        try:
            call_command("migrate", interactive=False, verbosity=0)
            people = load_demo() if options["demo"] else []
            # SQLite gathers no planner statistics of its own; start-up is a quiet moment.
            refresh_statistics()
        except DatabaseError as error:
            reason = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            raise CommandError(
                f"cannot use the {database_description()} ({reason}): "
                "check SOFTTISSUE_DATABASE_URL and that the database server is running",
                returncode=2,
            ) from None
        connections.close_all()
        self.announce(host, port, people)
        sys.stdout.flush()
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "softtissue.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--access-logformat",
                ACCESS_LOG_FORMAT,
                # gunicorn's refusal of an over-long URL or headers, in the API's error shape.
                "--limit-request-line",
                str(REQUEST_LINE_LIMIT),
                "--worker-class",
                WORKER_CLASS,
            ],
        )

    def announce(self, host: str, port: int, people: list[Any]) -> None:
        """Print the address and, for the demo, the logins."""
        console = Console(file=cast(IO[str], self.stdout), highlight=False)
        shown_host = "localhost" if host in {"0.0.0.0", "127.0.0.1", "::", "[::]"} else host  # noqa: S104
        console.print(f"softtissue is starting at [bold]http://{shown_host}:{port}/[/bold]")
        console.print(f"Database: {database_description()}")
        if people:
            table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
            for column in ("Email", "Role", "Clinic"):
                table.add_column(column)
            for person in people:
                table.add_row(person.email, person.role, person.clinic)
            console.print(table)
        console.print("Press Ctrl+C to stop.")

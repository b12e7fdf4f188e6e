"""The `softtissue` command: Django's management commands with the settings already set."""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main(argv: list[str] | None = None) -> None:
    """Run a management command; configuration mistakes end in one line and exit code 2."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softtissue.settings")
    arguments = ["softtissue", *(sys.argv[1:] if argv is None else argv)]
    try:
        from django.conf import settings
        from django.core.management import execute_from_command_line

        # Read the settings before Django does: its help text would swallow the error.
        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(arguments)
    except ImproperlyConfigured as error:
        print(f"softtissue: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

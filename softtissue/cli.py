"""The `softtissue` command: Django's management commands with the settings already set."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

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
        database = settings.DATABASES["default"]
        keep_private(
            Path(settings.DATA_DIR),
            Path(settings.STATIC_ROOT),
            Path(database["NAME"]) if database["ENGINE"].endswith("sqlite3") else None,
        )
        execute_from_command_line(arguments)
    except ImproperlyConfigured as error:
        print(f"softtissue: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def keep_private(data_dir: Path, static_root: Path, database: Path | None) -> None:
    """Make every file of the data directory owner-only; warn when the folder itself is open."""
    # The folder is left as it is: its owner made it, so only they should change it.
    for folder, subfolders, names in os.walk(data_dir):
        here = Path(folder)
        # The static files (CSS, JavaScript) hold no health data and a proxy may serve them.
        subfolders[:] = [name for name in subfolders if here / name != static_root]
        for name in subfolders + names:
            _owner_only(here / name)
    if database is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            _owner_only(Path(f"{database}{suffix}"))
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if mode & 0o077:
        print(
            f"softtissue: warning: the data folder {data_dir} is open to other users "
            f"(mode {mode:o}): run chmod 700 {data_dir}",
            file=sys.stderr,
        )


def _owner_only(path: Path) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(info.st_mode)
    # Never through a symlink, and never another user's file.
    if mode & 0o077 and not stat.S_ISLNK(info.st_mode) and info.st_uid == os.getuid():
        path.chmod(mode & 0o700)


if __name__ == "__main__":
    main()

"""Every file softtissue writes is readable by its user only, whatever the shell's umask.

Issue 22, item 17: in a data folder the user made (umask 022) the database and its -wal and -shm
files were 0644. The commands run in subprocesses with umask 022, as from a usual login shell.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.archives import REPO, base_env

# While the connection is open, as in a running server: the database, its WAL and index, an
# upload, a file the code writes with plain open(), and a backup.
WRITE = """
import json, os
from pathlib import Path
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from softtissue.accounts.models import Clinic

call_command("migrate", verbosity=0)
Clinic.objects.create(name="Modes Clinic")
database = Path(connection.settings_dict["NAME"])
saved = default_storage.save("clearances/1/x.pdf", ContentFile(b"%PDF"))
upload = Path(default_storage.path(saved))
plain = settings.DATA_DIR / "export.csv"
plain.write_text("a,b")
call_command("backup", str(settings.DATA_DIR / "backup.tar.gz"), verbosity=0)
paths = [database, Path(f"{database}-wal"), Path(f"{database}-shm"), upload, plain,
         settings.DATA_DIR / "backup.tar.gz", settings.DATA_DIR / "secret_key",
         settings.DATA_DIR / "backup_key", upload.parent]
print(json.dumps({p.name: oct(os.stat(p).st_mode & 0o777) for p in paths}))
"""


def softtissue(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "softtissue", *args],
        env=base_env(data_dir),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_it_creates_every_file_for_its_user_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    result = softtissue(data_dir, "shell", "--command", WRITE)
    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout.splitlines()[-1])
    assert modes.pop("1") == "0o700"
    assert modes == {
        "softtissue.sqlite3": "0o600",
        "softtissue.sqlite3-wal": "0o600",
        "softtissue.sqlite3-shm": "0o600",
        "x.pdf": "0o600",
        "export.csv": "0o600",
        "backup.tar.gz": "0o600",
        "secret_key": "0o600",
        "backup_key": "0o600",
    }


def test_it_closes_files_an_older_version_left_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    assert softtissue(data_dir, "migrate", "--verbosity", "0").returncode == 0
    database = data_dir / "softtissue.sqlite3"
    folder = data_dir / "media" / "clearances" / "1"
    folder.mkdir(parents=True)
    letter = folder / "old.pdf"
    letter.write_bytes(b"%PDF")
    for path, loose in ((database, 0o644), (letter, 0o644), (folder, 0o755)):
        path.chmod(loose)
    result = softtissue(data_dir, "check")
    assert result.returncode == 0, result.stderr
    assert (mode(database), mode(letter), mode(folder)) == ("0o600", "0o600", "0o700")


@pytest.mark.parametrize(("folder_mode", "warned"), [(0o755, True), (0o750, True), (0o700, False)])
def test_it_warns_once_when_the_data_folder_is_open_to_others(
    tmp_path: Path, folder_mode: int, warned: bool
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(folder_mode)
    result = softtissue(data_dir, "check")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    if warned:
        assert warnings == [
            f"softtissue: warning: the data folder {data_dir} is open to other users "
            f"(mode {folder_mode:o}): run chmod 700 {data_dir}"
        ]
    else:
        assert warnings == []

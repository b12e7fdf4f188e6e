"""After an erasure commits, the client's data is in neither the SQLite file nor its -wal file.

Issue 22, item 18: the erased rows stayed readable in the write-ahead log until a checkpoint.
The erasure runs in a subprocess on a SQLite file (the test database is in memory), and its
connection stays open, as a server's persistent one does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.reliability.archives import REPO, base_env

NAME = "Quillfeather-Xanthopoulos"

ERASE = f"""
import sys
from datetime import date
from pathlib import Path
from django.core.management import call_command
from django.db import connection
from softtissue.accounts.models import Clinic, Membership, Therapist, User
from softtissue.privacy.erasure import erase_client
from tests.privacy.old_records import treated_client

call_command("migrate", verbosity=0)
clinic = Clinic.objects.create(name="Erasure Clinic")
owner = User.objects.create_user("olive@example.org", "a-long-password-1", first_name="Olive")
Membership.objects.create(user=owner, clinic=clinic, role="owner")
Therapist.objects.create(user=owner, clinic=clinic)
client = treated_client(clinic, owner, date(1950, 1, 1), date(2001, 1, 1), {NAME!r})
client.address = "{NAME} House, {NAME} Lane"
client.save()
database = Path(connection.settings_dict["NAME"])
wal = Path(str(database) + "-wal")
assert {NAME!r}.encode() in wal.read_bytes(), "the client is not in the WAL to begin with"
# Far past the retention date, so the erasure is allowed.
erase_client(client.pk, clinic, owner, "Edith {NAME}", date(2100, 1, 1))
assert connection.connection is not None  # still open, as in a server worker
found = [p.name for p in (database, wal) if p.exists() and {NAME!r}.encode() in p.read_bytes()]
print(",".join(found) or "none", wal.stat().st_size if wal.exists() else 0)
"""


def test_it_leaves_no_copy_in_the_database_files_after_an_erasure(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + ERASE],
        env=base_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none", "0"]

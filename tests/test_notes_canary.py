"""The demo practice's notes, written through the real actions, never reach the disk as text."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_deploy import clean_environ

ROOT = Path(__file__).resolve().parent.parent
# Phrases from the demo practice's note and summary (tila/demo/seed.py), and a control that
# is stored in plain text (a client's name) to prove that the scan sees stored data.
SECRETS = [b"moni valitsi kortin, jossa oli myrsky", b"tilaa hiljaisille", b"vuorolistaa"]
CONTROL = "Tähtiryhmän tiimi".encode()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite default only")
def test_demo_notes_are_not_in_the_sqlite_files(tmp_path):
    var = tmp_path / "var"
    env = {**clean_environ(), "TILA_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    env.pop("TILA_MASTER_KEY", None)
    for command in (["migrate", "--verbosity", "0"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    count = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tila.notes.models import Note; print(Note.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(count.stdout.split()[-1]) >= 2  # the secrets below were really written
    stored = b"".join(path.read_bytes() for path in var.glob("tila.sqlite3*") if path.is_file())
    assert CONTROL in stored
    for secret in SECRETS:
        assert secret not in stored
        assert secret.decode().encode("utf-16-le") not in stored
    check = subprocess.run(
        [sys.executable, "manage.py", "verify_keys"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    audit = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_log"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0 and audit.stdout.startswith("OK"), audit.stdout + audit.stderr

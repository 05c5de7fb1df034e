"""Canaries: text sealed at rest never appears in the raw database files or a dump.

Each test seals random canary strings, stores one more string in plain text as a control
(proving that the scan really sees stored data), and then searches the bytes on disk.
"""

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_practice
from tests.keys_helpers import isolate_keys, seal_bio
from tests.test_deploy import clean_environ
from tila.keys import masterkeys

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tila.keys.sealing import seal
from tila.practices.models import Practice
canaries, control = json.loads(sys.argv[1]), sys.argv[2]
for index, canary in enumerate(canaries):
    name = control if index == 0 else f"Praktiikka {index}"
    practice = Practice.objects.create(slug=f"p{index}", name=name)
    practice.bio = seal(practice, canary, context=f"practices.Practice.bio:{practice.uuid}")
    practice.save()
print("sealed", flush=True)
sys.stdin.readline()
"""


def canaries() -> list[str]:
    return [f"CANARY-{secrets.token_hex(12)}" for _ in range(3)] + [
        f"Kanarialintu ääkköset {secrets.token_hex(8)}"
    ]


def master_key_traces(path: Path) -> list[bytes]:
    """The master keys as raw bytes, base64 and hex: none of them may be in the database."""
    traces = []
    for key in masterkeys.parse(path.read_text(), str(path)):
        traces += [key.key, base64.b64encode(key.key), key.key.hex().encode()]
    return traces


def sqlite_bytes(var: Path) -> bytes:
    files = [var / name for name in ("tila.sqlite3", "tila.sqlite3-wal", "tila.sqlite3-shm")]
    return b"".join(path.read_bytes() for path in files if path.exists())


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite default only")
def test_no_canary_is_in_the_sqlite_files_while_open_or_after_close(tmp_path):
    var = tmp_path / "var"
    secrets_ = canaries()
    control = f"CONTROL-{secrets.token_hex(12)}"
    env = {**clean_environ(), "TILA_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "tila.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("TILA_MASTER_KEY", None)
    writer = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WRITER, json.dumps(secrets_), control],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdin is not None
        line = writer.stdout.readline()
        assert line.strip() == "sealed", writer.stderr.read() if writer.stderr else ""
        assert (var / "tila.sqlite3-wal").stat().st_size > 0  # recent writes sit in the WAL
        open_bytes = sqlite_bytes(var)
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.wait(timeout=60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    closed_bytes = sqlite_bytes(var)

    for data in (open_bytes, closed_bytes):
        assert control.encode() in data
        for canary in secrets_:
            assert canary.encode() not in data
            assert canary.encode("utf-16-le") not in data
        for trace in master_key_traces(var / "master_keys"):
            assert trace not in data
    assert (var / "master_keys").stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_no_canary_is_in_a_postgresql_dump(settings, tmp_path, monkeypatch):
    var = isolate_keys(settings, tmp_path, monkeypatch)
    secrets_ = canaries()
    control = f"CONTROL-{secrets.token_hex(12)}"
    for index, canary in enumerate(secrets_):
        practice = make_practice(f"p{index}", control if index == 0 else f"Praktiikka {index}")
        seal_bio(practice, canary)

    db = connection.settings_dict
    pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    command = [pg_dump, "--no-owner", "--host", db["HOST"] or "127.0.0.1", "--dbname", db["NAME"]]
    if db["PORT"]:
        command += ["--port", str(db["PORT"])]
    command += ["--username", db["USER"] or "postgres"]
    env = {**clean_environ(), "PGPASSWORD": db["PASSWORD"] or ""}
    dump = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, check=True
    ).stdout

    assert control.encode() in dump
    for canary in secrets_:
        assert canary.encode() not in dump
    for trace in master_key_traces(var / "master_keys"):
        assert trace not in dump

"""Writers recording events at the same moment still make one chain, with no number twice.

SQLite: separate processes on a file database (Tila's transactions begin IMMEDIATE, so
writers queue). PostgreSQL: threads with their own connections (an advisory lock)."""

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.audit_helpers import clear_log
from tests.test_deploy import clean_environ
from tila.audit.actions import record_event
from tila.audit.chain import verify_chain
from tila.audit.models import Action, AuditEvent

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 4
EVENTS_EACH = 30

WORKER = """
import sys, time
from pathlib import Path
import django
django.setup()
from tila.audit.actions import record_event
worker, folder = sys.argv[1], Path(sys.argv[2])
(folder / f"ready-{worker}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for index in range(int(sys.argv[3])):
    record_event(actor=None, practice=None, object_type="tests.Thing",
                 object_id=f"{worker}-{index}", action="read")
"""


def expected_ids() -> set[str]:
    return {f"{worker}-{index}" for worker in range(WRITERS) for index in range(EVENTS_EACH)}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
@pytest.mark.django_db(transaction=True)  # a test transaction would lock the copy out
def test_processes_writing_at_once_on_sqlite_make_one_valid_chain(tmp_path):
    # A file copy of the migrated (in-memory) test database, which the processes share.
    connection.ensure_connection()
    copy = sqlite3.connect(tmp_path / "tila.sqlite3")
    connection.connection.backup(copy)
    copy.close()
    env = {**clean_environ(), "TILA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WORKER, str(worker), str(tmp_path), str(EVENTS_EACH)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WRITERS)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < WRITERS and time.monotonic() < deadline:
        time.sleep(0.02)
    (tmp_path / "go").touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err

    result = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_log", "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == f"OK: {WRITERS * EVENTS_EACH} events\n", result.stderr
    with sqlite3.connect(tmp_path / "tila.sqlite3") as db:
        rows = db.execute("SELECT sequence, object_id FROM audit_auditevent").fetchall()
    assert sorted(sequence for sequence, _ in rows) == list(range(1, WRITERS * EVENTS_EACH + 1))
    assert {object_id for _, object_id in rows} == expected_ids()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_threads_writing_at_once_on_postgresql_make_one_valid_chain():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for index in range(EVENTS_EACH):
                record_event(
                    actor=None,
                    practice=None,
                    object_type="tests.Thing",
                    object_id=f"{worker}-{index}",
                    action=Action.READ,
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        report = verify_chain()
        assert (report.count, report.broken) == (WRITERS * EVENTS_EACH, None)
        assert set(AuditEvent.objects.values_list("object_id", flat=True)) == expected_ids()
    finally:
        clear_log()

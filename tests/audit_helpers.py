"""Helpers for the audit log's tests: making events, and editing the log "offline"."""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from tila.audit.actions import record_event
from tila.audit.models import Action, AuditEvent

TABLE = AuditEvent._meta.db_table
append_only = importlib.import_module("tila.audit.migrations.0002_audit_append_only")


@contextmanager
def protection_lifted() -> Iterator[None]:
    """What an intruder with the database's owner rights (or a file editor) could do: take
    the append-only guard off for a moment and put it back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no one: run the pending (deferred) foreign key checks first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            for statement in append_only.SQLITE_BACKWARD:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            else:
                for statement in append_only.SQLITE_FORWARD:
                    cursor.execute(statement)


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def make_events(count: int, **fields: Any) -> list[AuditEvent]:
    values: dict[str, Any] = {
        "actor": None,
        "practice": None,
        "object_type": "notes.Note",
        "action": Action.READ,
        **fields,
    }
    return [
        record_event(object_id=f"00000000-0000-0000-0000-{index:012d}", **values)
        for index in range(count)
    ]


def clear_log() -> None:
    """Empty the log so that a transactional test's database can be flushed after it."""
    with protection_lifted():
        AuditEvent.objects.all().delete()

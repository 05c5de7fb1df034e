"""The database itself refuses to change or remove audit rows (migration audit/0002).

Run on both SQLite (triggers) and PostgreSQL (a trigger function)."""

from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from tests.audit_helpers import TABLE, make_events, raw
from tests.factories import World
from tila.audit.actions import record_event
from tila.audit.models import Action, AuditEvent
from tila.practices.models import Practice

pytestmark = pytest.mark.django_db


def refused() -> AbstractContextManager[Any]:
    """The write fails with IntegrityError, and the test's transaction stays usable."""
    return pytest.raises(IntegrityError, match="audit_append_only")


def test_saving_a_changed_event_is_refused():
    event = make_events(1)[0]
    event.outcome = "denied"
    with refused(), transaction.atomic():
        event.save()
    assert AuditEvent.objects.get().outcome == "ok"


def test_a_queryset_update_is_refused():
    make_events(3)
    with refused(), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(object_id="forged")
    assert not AuditEvent.objects.filter(object_id="forged").exists()


def test_deleting_an_event_is_refused():
    event = make_events(2)[1]
    with refused(), transaction.atomic():
        event.delete()
    with refused(), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_a_raw_sql_update_is_refused():
    make_events(2)
    with refused(), transaction.atomic():
        raw(f"UPDATE {TABLE} SET action = 'update' WHERE sequence = 1")  # noqa: S608
    assert AuditEvent.objects.get(sequence=1).action == "read"


def test_a_raw_sql_delete_is_refused():
    make_events(2)
    with refused(), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE sequence = 2")  # noqa: S608
    assert AuditEvent.objects.count() == 2


def test_nulling_the_actor_together_with_another_column_is_refused(world: World):
    record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    with refused(), transaction.atomic():
        raw(f"UPDATE {TABLE} SET actor_id = NULL, actor_label = ''")  # noqa: S608
    with refused(), transaction.atomic():
        raw(f"UPDATE {TABLE} SET actor_id = %s", [world.assistant.pk])  # noqa: S608
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.actor_label) == (world.owner.pk, "anna@example.test")


def test_nulling_only_the_actor_is_allowed_for_erasure(world: World):
    record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    AuditEvent.objects.update(actor=None)
    assert AuditEvent.objects.get().actor_label == "anna@example.test"


def test_a_practice_with_an_audit_trail_cannot_be_deleted(world: World):
    record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        Practice.objects.filter(pk=world.practice.pk).delete()
    assert AuditEvent.objects.filter(practice=world.practice).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_truncating_the_log_is_refused_on_postgresql():
    make_events(1)
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # else the inserts' pending FK checks stop TRUNCATE
    with refused(), transaction.atomic():
        raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_the_guards_exist_after_all_migrations():
    """A later migration that remakes the table on SQLite would silently drop them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled = 'O'",
                [TABLE],
            )
            expected = {"audit_append_only_row", "audit_append_only_truncate"}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
            expected = {"audit_append_only_update", "audit_append_only_delete"}
        assert {row[0] for row in cursor.fetchall()} == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_an_empty_log_can_be_truncated_so_that_test_databases_can_be_flushed():
    raw(f"TRUNCATE {TABLE}")
    assert not AuditEvent.objects.exists()

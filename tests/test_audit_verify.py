"""manage.py verify_audit_log finds a row edited or removed behind the application's back,
and names exactly that row."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.audit_helpers import TABLE, make_events, protection_lifted, raw
from tests.factories import World
from tila.audit.actions import record_event
from tila.audit.management.commands.verify_audit_log import Command
from tila.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def verify(verbosity: int = 1) -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out, verbosity=verbosity)
    return out.getvalue()


def test_an_empty_log_is_ok():
    assert verify() == "OK: 0 events\n"


def test_an_untouched_log_is_ok_and_the_last_hash_is_shown_on_request(world: World):
    make_events(4)
    record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id=world.meeting.uuid,
        action=Action.UPDATE,
        detail={"locked": True, "words": 12, "reason": None},
    )
    last = AuditEvent.objects.order_by("sequence").last()
    assert last is not None
    assert verify() == "OK: 5 events\n"
    assert verify(verbosity=2) == f"OK: 5 events\nLast hash: {last.hash}\n"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "someone.else@example.test"),
        ("action", "update"),
        ("outcome", "denied"),
        ("object_id", "00000000-0000-0000-0000-000000000099"),
        ("detail", '{"route": "forged"}'),
    ],
)
def test_an_offline_edit_is_found_at_exactly_that_row(column, value):
    events = make_events(6)
    edited = events[3]
    with protection_lifted():
        raw(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, edited.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=edited.pk).hash == edited.hash
    with pytest.raises(CommandError) as error:
        verify()
    assert str(error.value) == (
        f"audit log broken at sequence 4 (id {edited.pk}): its hash does not match its "
        "contents. The 3 events before it are intact."
    )


def test_an_edit_with_a_recomputed_hash_is_found_at_the_next_row():
    events = make_events(5)
    edited = AuditEvent.objects.get(pk=events[1].pk)
    edited.object_id = "forged"
    forged_hash = edited.compute_hash()
    with protection_lifted():
        raw(
            f"UPDATE {TABLE} SET object_id = %s, hash = %s WHERE id = %s",  # noqa: S608
            ["forged", forged_hash, edited.pk],
        )
    with pytest.raises(CommandError, match=f"sequence 3 \\(id {events[2].pk}\\): its link"):
        verify()


def test_a_row_deleted_from_the_middle_is_found_at_the_next_row():
    events = make_events(5)
    with protection_lifted():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])  # noqa: S608
    with pytest.raises(CommandError) as error:
        verify()
    assert str(error.value).startswith(
        f"audit log broken at sequence 4 (id {events[3].pk}): sequence number 4 where 3 "
        "was expected"
    )


def test_a_deleted_row_with_the_rest_renumbered_is_found_by_the_broken_link():
    events = make_events(4)
    with protection_lifted():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])  # noqa: S608
        for event in events[2:]:
            raw(
                f"UPDATE {TABLE} SET sequence = sequence - 1 WHERE id = %s",  # noqa: S608
                [event.pk],
            )
    with pytest.raises(CommandError, match=f"sequence 2 \\(id {events[2].pk}\\): its link"):
        verify()


def test_the_command_exits_with_a_non_zero_status_when_the_log_is_broken():
    make_events(2)
    with protection_lifted():
        raw(f"UPDATE {TABLE} SET outcome = 'denied' WHERE sequence = 2")  # noqa: S608
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "verify_audit_log", "--skip-checks"])
    assert exit_.value.code == 1

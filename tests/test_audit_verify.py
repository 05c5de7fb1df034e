"""manage.py verify_audit_log finds a row edited or removed behind the application's back,
and names exactly that row."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.audit_helpers import TABLE, make_events, protection_lifted, raw
from tests.factories import World
from tila.audit.actions import record_event
from tila.audit.anchors import read_anchors, verify_and_anchor
from tila.audit.chain import verify_chain
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
    assert verify(verbosity=2).startswith(
        f"OK: 5 events\nLast hash: {last.hash}\nAnchors checked: 0 ("
    )


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


def test_anchoring_writes_the_verified_head_once_outside_the_database(settings):
    make_events(3)
    out = StringIO()
    call_command("verify_audit_log", "--anchor", stdout=out)
    head = AuditEvent.objects.order_by("sequence").last()
    assert head is not None
    assert out.getvalue() == (
        f"OK: 3 events\nAnchored sequence 3 in {settings.TILA_AUDIT_ANCHOR_FILE}\n"
    )
    call_command("verify_audit_log", "--anchor", stdout=StringIO())  # nothing new: no line
    lines = settings.TILA_AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert [line.split()[:2] for line in lines] == [["3", head.hash]]
    assert settings.TILA_AUDIT_ANCHOR_FILE.stat().st_mode & 0o777 == 0o600
    make_events(1)
    call_command("verify_audit_log", "--anchor", stdout=StringIO())
    assert len(settings.TILA_AUDIT_ANCHOR_FILE.read_text().splitlines()) == 2


def test_a_log_cut_short_after_its_anchor_is_found():
    """Removing the newest rows leaves an intact chain; the anchor shows what is missing."""
    events = make_events(4)
    call_command("verify_audit_log", "--anchor", stdout=StringIO())
    with protection_lifted():
        raw(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [events[2].pk, events[3].pk])  # noqa: S608
    with pytest.raises(CommandError) as error:
        verify()
    assert str(error.value) == (
        f"audit log does not match its anchor: sequence 4 was {events[3].hash} at "
        f"{read_anchors()[0].at}; the row is gone (the log was cut short). "
        "1 of 1 anchors do not match."
    )


def test_a_log_rewritten_and_hashed_again_from_an_anchored_row_is_found():
    """An intruder edits a row and recomputes every hash after it: the chain holds, the
    anchor does not."""
    events = make_events(4)
    call_command("verify_audit_log", "--anchor", stdout=StringIO())
    with protection_lifted():
        previous = AuditEvent.objects.get(pk=events[0].pk).hash
        for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
            if event.sequence == 2:
                event.object_id = "forged"
            event.prev_hash = previous
            event.hash = event.compute_hash()
            raw(
                f"UPDATE {TABLE} SET object_id = %s, prev_hash = %s, hash = %s "  # noqa: S608
                "WHERE id = %s",
                [event.object_id, event.prev_hash, event.hash, event.pk],
            )
            previous = event.hash
    assert verify_chain().broken is None
    with pytest.raises(CommandError, match=r"sequence 4 was .*; the log now has .* there"):
        verify()


def test_a_damaged_anchor_file_is_reported(settings):
    settings.TILA_AUDIT_ANCHOR_FILE.write_text("not an anchor\n")
    with pytest.raises(CommandError, match="the anchor file is damaged"):
        verify()


def test_the_daily_check_anchors_an_intact_log_and_reports_a_broken_one(settings, caplog):
    events = make_events(3)
    assert verify_and_anchor() is True
    assert len(settings.TILA_AUDIT_ANCHOR_FILE.read_text().splitlines()) == 1
    make_events(1)
    with protection_lifted():
        raw(f"UPDATE {TABLE} SET outcome = 'denied' WHERE id = %s", [events[1].pk])  # noqa: S608
    assert verify_and_anchor() is False
    assert "audit log broken at sequence 2" in caplog.text
    assert len(settings.TILA_AUDIT_ANCHOR_FILE.read_text().splitlines()) == 1

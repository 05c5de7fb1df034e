"""Notes and topics of an ended contract are deleted TILA_RETENTION_MONTHS after it ended,
by a daily background task; an active contract's never are."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import World, at
from tests.privacy_helpers import build_scene
from tila.audit.chain import verify_chain
from tila.audit.models import Action, AuditEvent
from tila.contracts.actions import change_status
from tila.contracts.models import Status
from tila.journal.models import JournalEntry
from tila.notes.actions import create_note
from tila.notes.models import Note
from tila.privacy.retention import add_months, apply_retention, retention_plan
from tila.privacy.tasks import (
    apply_retention_daily,
    next_run,
    prune_task_results,
    schedule_retention,
)
from tila.topics.models import Topic

pytestmark = pytest.mark.django_db


def end_world_contract(world: World) -> None:
    """The team's contract ends on 15.1.2027; the colleague's stays active."""
    with time_machine.travel(at(2027, 1, 15, 10), tick=False):
        change_status(contract=world.contract, actor=world.owner, status=Status.ENDED)
    create_note(
        contract=world.colleague_contract,
        meeting=None,
        kind="private",
        outline="blank",
        actor=world.colleague,
    )


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), 12) == date(2028, 1, 15)


def test_content_stays_until_the_retention_period_is_over(world):
    build_scene(world)
    end_world_contract(world)
    before = Note.objects.filter(contract=world.contract).count()
    assert before == 2
    assert apply_retention(today=date(2028, 1, 14)) == {}
    assert Note.objects.filter(contract=world.contract).count() == before


def test_ended_contracts_notes_and_topics_are_deleted_and_audited(world):
    scene = build_scene(world)
    end_world_contract(world)
    notes = {
        str(uuid)
        for uuid in Note.objects.filter(contract=world.contract).values_list("uuid", flat=True)
    }
    deleted = apply_retention(today=date(2028, 1, 15))
    assert deleted == {"notes": 2, "topics": 2}
    assert not Note.objects.filter(contract=world.contract).exists()
    assert not Topic.objects.filter(meeting__contract=world.contract).exists()
    # The contract, its meetings and attendance stay (bookkeeping).
    assert world.contract.meetings.get().attendance.count() == 5
    # Individual supervision is active: its note stays; so does the colleague's.
    assert Note.objects.filter(pk=scene.individual_note.pk).exists()
    assert Note.objects.filter(contract=world.colleague_contract).count() == 1
    # Each note's deletion and the contract's run are in the audit log, by the system.
    note_events = AuditEvent.objects.filter(object_type="notes.Note", action=Action.DELETE)
    assert {event.object_id for event in note_events} == notes
    assert all(event.actor is None and event.actor_role == "system" for event in note_events)
    run = AuditEvent.objects.get(object_type="contracts.Contract", action=Action.DELETE)
    assert run.object_id == str(world.contract.uuid)
    assert run.detail == {
        "reason": "retention",
        "ended_on": "2027-01-15",
        "notes": 2,
        "topics": 2,
    }
    assert verify_chain().broken is None


def test_an_active_contracts_notes_are_never_deleted(world):
    create_note(
        contract=world.contract,
        meeting=world.meeting,
        kind="private",
        outline="blank",
        actor=world.owner,
    )
    assert apply_retention(today=date(2040, 1, 1)) == {}
    assert Note.objects.filter(contract=world.contract).count() == 1
    assert retention_plan(world.practice) == []


def test_the_period_comes_from_the_setting(world, settings):
    settings.TILA_RETENTION_MONTHS = 3
    build_scene(world)
    end_world_contract(world)
    [due] = retention_plan(world.practice)
    assert due.delete_on == date(2027, 4, 15)
    assert apply_retention(today=date(2027, 4, 15))["notes"] == 2


def test_owner_sees_what_will_be_deleted_and_when(world, owner_client, assistant_client):
    build_scene(world)
    end_world_contract(world)
    page = owner_client.get(reverse("retention")).content.decode()
    assert world.contract.title in page
    assert "15.1.2028" in page
    assert "2 muistiinpanoa" in page and "2 aihetta" in page
    assert "12 kuukautta" in page
    assert assistant_client.get(reverse("retention")).status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker closes a connection inside a transaction
def test_the_daily_task_runs_in_the_worker_and_queues_its_next_run(world, settings):
    build_scene(world)
    end_world_contract(world)
    with time_machine.travel(at(2028, 1, 15, 2), tick=False):
        assert schedule_retention() is True
        assert schedule_retention() is False  # one waiting run is enough
        [waiting] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert waiting.run_after == at(2028, 1, 15, 3)
    with time_machine.travel(at(2028, 1, 15, 3, 1), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert not Note.objects.filter(contract=world.contract).exists()
        waiting.refresh_from_db()
        assert waiting.status == TaskResultStatus.SUCCESSFUL
        [following] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert following.run_after == at(2028, 1, 16, 3)
    # The run also verified the audit log and wrote its head down outside the database.
    head = AuditEvent.objects.order_by("sequence").last()
    assert head is not None
    [anchor] = settings.TILA_AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert anchor.split()[:2] == [str(head.sequence), head.hash]


@pytest.mark.django_db(transaction=True)  # the worker closes a connection inside a transaction
def test_the_daily_run_deletes_finished_tasks_after_a_week(world):
    with time_machine.travel(at(2028, 1, 15, 2), tick=False):
        schedule_retention()
    with time_machine.travel(at(2028, 1, 15, 3, 1), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [first] = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    with time_machine.travel(at(2028, 1, 21, 3, 1), tick=False):  # six days later: kept
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert DBTaskResult.objects.filter(pk=first.pk).exists()
    with time_machine.travel(at(2028, 1, 23, 3, 1), tick=False):  # eight days: deleted
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert not DBTaskResult.objects.filter(pk=first.pk).exists()
        assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_failed_tasks_are_kept_for_a_month(world):
    with time_machine.travel(at(2028, 1, 15, 2), tick=False):
        schedule_retention()
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED, finished_at=at(2028, 1, 15, 3))
    assert prune_task_results(at(2028, 2, 10, 3)) == 0
    assert prune_task_results(at(2028, 2, 15, 3)) == 1


def test_next_run_is_the_next_night():
    assert next_run(at(2028, 1, 15, 2, 59)) == at(2028, 1, 15, 3)
    assert next_run(at(2028, 1, 15, 3)) == at(2028, 1, 16, 3)


def test_task_can_be_called_directly(world):
    build_scene(world)
    end_world_contract(world)
    with time_machine.travel(at(2028, 2, 1, 12), tick=False):
        assert apply_retention_daily.call() == {"notes": 2, "topics": 2}


def test_command_applies_retention_now(world, capsys):
    build_scene(world)
    end_world_contract(world)
    with time_machine.travel(at(2028, 2, 1, 12), tick=False):
        call_command("apply_retention")
    assert "notes 2" in capsys.readouterr().out
    assert not Note.objects.filter(contract=world.contract).exists()


def test_a_journal_is_deleted_once_every_contract_of_its_author_has_ended(world):
    """Saana's team contract ends, but her individual supervision goes on: her journal
    stays. When that ends too, it goes after the retention period, leaving no trace in the
    practice's log (whether she kept a journal is hers to tell)."""
    scene = build_scene(world)
    end_world_contract(world)
    apply_retention(today=date(2028, 1, 15))
    assert JournalEntry.objects.filter(person=scene.person).count() == 1
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        change_status(contract=scene.individual_contract, actor=world.owner, status=Status.ENDED)
    before = AuditEvent.objects.count()
    apply_retention(today=date(2028, 2, 29))
    assert JournalEntry.objects.filter(person=scene.person).count() == 1
    assert apply_retention(today=date(2028, 3, 1)) == {"notes": 1, "topics": 0}
    assert not JournalEntry.objects.filter(person=scene.person).exists()
    new = AuditEvent.objects.order_by("sequence")[before:]
    assert not [event for event in new if "journal" in event.object_type]
    assert not [event for event in new if event.object_type == "clients.Person"]

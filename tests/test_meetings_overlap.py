"""The database itself refuses overlapping meetings of one supervisor (migration 0002).

Run on both SQLite (triggers) and PostgreSQL (exclusion constraint)."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import World, at, make_meeting
from tila.meetings.models import Meeting, MeetingStatus


def test_the_database_refuses_an_overlapping_insert(world: World):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(world.contract, world.owner, at(2026, 12, 1, 10))
    assert Meeting.objects.filter(supervisor=world.owner).count() == 1


def test_the_database_refuses_a_bulk_insert_with_one_overlap(world: World):
    rows = [
        Meeting(
            practice=world.practice,
            contract=world.contract,
            supervisor=world.owner,
            start=start,
            end=start.replace(hour=start.hour + 1),
        )
        for start in (at(2026, 11, 10, 9), at(2026, 12, 1, 9, 30))
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.bulk_create(rows)
    assert Meeting.objects.filter(supervisor=world.owner).count() == 1


def test_the_database_refuses_moving_a_meeting_onto_another(world: World):
    later = make_meeting(world.contract, world.owner, at(2026, 12, 1, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=later.pk).update(start=at(2026, 12, 1, 10))
    later.refresh_from_db()
    assert later.start == at(2026, 12, 1, 11)


def test_back_to_back_meetings_are_allowed(world: World):
    make_meeting(world.contract, world.owner, at(2026, 12, 1, 10, 30))
    assert Meeting.objects.filter(supervisor=world.owner).count() == 2


def test_a_cancelled_meeting_does_not_block_the_time(world: World):
    Meeting.objects.filter(pk=world.meeting.pk).update(
        status=MeetingStatus.CANCELLED_LATE, cancelled_at=at(2026, 11, 30)
    )
    make_meeting(world.contract, world.owner, at(2026, 12, 1, 9))
    assert Meeting.objects.filter(supervisor=world.owner).count() == 2


def test_two_supervisors_may_meet_at_the_same_time(world: World):
    make_meeting(world.colleague_contract, world.colleague, at(2026, 12, 1, 9))
    assert Meeting.objects.filter(start=at(2026, 12, 1, 9)).count() == 3

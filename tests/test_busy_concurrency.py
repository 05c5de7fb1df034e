"""A meeting planned and a first conversation booked for the same time at the same moment:
exactly one of them gets the time, every time.

Bookings and meetings live in different tables, so no constraint spans them; what holds is
the supervisor's row lock that both take before they look (``hold_supervisors_time``). Two
threads with their own connections are released together, ten times. PostgreSQL only: the
test database of SQLite is one in-memory file whose transactions queue by design."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import build_world
from tests.intake_helpers import publish
from tila.intake.actions import SlotTaken, book_slot
from tila.intake.models import Booking
from tila.intake.slots import free_slots
from tila.meetings.actions import MeetingConflict, plan_meetings
from tila.meetings.models import Meeting

ROUNDS = 10


@pytest.mark.django_db(transaction=True)
def test_a_meeting_and_a_booking_never_both_get_one_time():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: PostgreSQL")
    world = build_world()
    availability = publish(world.practice, world.owner)
    slots = free_slots(availability, timezone.now())[:ROUNDS]
    assert len(slots) == ROUNDS
    for round_number, (start, end) in enumerate(slots):
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def book(start=start, round_number=round_number, barrier=barrier, outcome=outcome):
            try:
                barrier.wait()
                book_slot(
                    availability=availability,
                    start=start,
                    name=f"Kävijä {round_number}",
                    email=f"kavija{round_number}@example.fi",
                )
                outcome["booking"] = "won"
            except SlotTaken:
                outcome["booking"] = "refused"
            finally:
                connections.close_all()

        def plan(start=start, end=end, barrier=barrier, outcome=outcome):
            try:
                barrier.wait()
                plan_meetings(
                    contract=world.contract,
                    supervisor=world.owner,
                    slots=[(start, end)],
                    place="",
                    remote_link="",
                    actor=world.owner,
                )
                outcome["meeting"] = "won"
            except MeetingConflict:
                outcome["meeting"] = "refused"
            finally:
                connections.close_all()

        threads = [threading.Thread(target=book), threading.Thread(target=plan)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcome.values()) == ["refused", "won"], (round_number, outcome)
        booked = Booking.objects.filter(start=start).exists()
        planned = Meeting.objects.filter(supervisor=world.owner, start=start).exists()
        assert booked != planned

"""A contract's meetings from planning to billing, as the supervisor lives it."""

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at
from tila.contracts.models import ContractEvent, EventKind
from tila.meetings.models import Attendance, Meeting, MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before the test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


def test_plan_ten_hold_the_first_cancel_the_second_late_and_the_third_in_time(
    world: World, owner_client: HttpClient
):
    world.meeting.delete()
    with time_machine.travel(at(2026, 9, 1, 8), tick=False):
        response = owner_client.post(
            reverse("plan_meetings", args=[world.contract.uuid]),
            {"start": "2026-09-08T13:00", "minutes": "90", "every_weeks": "3", "count": "10"},
        )
        assert response.status_code == 302
    first, second, third = Meeting.objects.filter(contract=world.contract).order_by("start")[:3]

    with time_machine.travel(at(2026, 9, 8, 15), tick=False):
        members = list(world.client.members.all())
        owner_client.post(
            reverse("mark_meeting_held", args=[first.uuid]),
            {"present": [str(m.uuid) for m in members[:4]]},
        )
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD
    assert Attendance.objects.filter(meeting=first, present=True).count() == 4

    with time_machine.travel(at(2026, 9, 28, 20), tick=False):  # 17 h before 29.9. 13.00
        owner_client.post(
            reverse("cancel_meeting", args=[second.uuid]),
            {"cancelled_by": "orderer", "cancelled_at": "2026-09-28T20:00", "reason": ""},
        )
        page = owner_client.get(reverse("meeting", args=[second.uuid])).content.decode()
    second.refresh_from_db()
    assert second.status == MeetingStatus.CANCELLED_LATE
    assert second.billable
    assert "Billable 100 %" in page

    with time_machine.travel(at(2026, 10, 1, 9), tick=False):  # nearly three weeks before
        owner_client.post(
            reverse("cancel_meeting", args=[third.uuid]),
            {"cancelled_by": "supervisee", "cancelled_at": "2026-10-01T09:00", "reason": ""},
        )
        listing = owner_client.get(reverse("meeting_list"), {"when": "all"}).content.decode()
    third.refresh_from_db()
    assert third.status == MeetingStatus.CANCELLED
    assert not third.billable
    # The late cancellation uses one of the ten; the one cancelled in time does not.
    assert "2/10" in listing
    assert "10/10" not in listing and "9/10" in listing
    kinds = list(ContractEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        EventKind.MEETINGS_PLANNED,
        EventKind.MEETING_HELD,
        EventKind.MEETING_CANCELLED,
        EventKind.MEETING_CANCELLED,
    ]

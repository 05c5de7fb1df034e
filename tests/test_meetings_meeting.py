"""The meeting page, and marking a meeting held with attendance."""

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tila.clients.models import ClientMember
from tila.contracts.models import ContractEvent, EventKind
from tila.meetings.models import Attendance, MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


def page(world: World) -> str:
    return reverse("meeting", args=[world.meeting.uuid])


def held_url(world: World) -> str:
    return reverse("mark_meeting_held", args=[world.meeting.uuid])


def members(world: World) -> list[ClientMember]:
    return list(world.client.members.order_by("person__name"))


def test_the_page_shows_contract_number_time_place_and_status(
    world: World, owner_client: HttpClient
):
    make_meeting(world.contract, world.owner, at(2026, 11, 10))
    world.meeting.place = "Kuusela"
    world.meeting.save()
    with time_machine.travel(at(2026, 11, 1), tick=False):
        response = owner_client.get(page(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.contract.title in html
    assert world.client.name in html
    assert "Meeting 2 of 10" in html
    assert "Tue 1.12.2026 at 9:00–10:30" in html
    assert "2,00 units of 45 min" in html  # 90 minutes, as counted in supervisor training
    assert "Kuusela" in html
    assert '<span class="badge planned">Planned</span>' in html
    assert "Billable when held" in html
    assert "later than 24 h before the start is 100 % billable" in html
    assert "once it has started" in html  # the attendance form waits for the meeting


def test_the_assistant_may_open_the_meeting(world: World, assistant_client: HttpClient):
    assert assistant_client.get(page(world)).status_code == 200


def test_another_practice_gets_404_for_every_meeting_address(
    world: World, other_client: HttpClient
):
    uuid = world.meeting.uuid
    for name in ("meeting", "cancel_meeting", "edit_meeting"):
        assert other_client.get(reverse(name, args=[uuid])).status_code == 404
    for name in ("mark_meeting_held", "cancel_meeting", "edit_meeting"):
        assert other_client.post(reverse(name, args=[uuid])).status_code == 404
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED


def test_anna_cannot_open_the_other_practices_meeting(world: World, owner_client: HttpClient):
    response = owner_client.get(reverse("meeting", args=[world.other_meeting.uuid]))
    assert response.status_code == 404


def test_a_supervisor_colleague_cannot_open_annas_meeting(
    world: World, colleague_client: HttpClient
):
    assert colleague_client.get(page(world)).status_code == 404
    assert colleague_client.post(held_url(world)).status_code == 404


@time_machine.travel(at(2026, 12, 1, 11), tick=False)
def test_marking_held_records_one_attendance_row_per_member(world: World, owner_client: HttpClient):
    everyone = members(world)
    response = owner_client.get(page(world))
    assert response.content.decode().count('type="checkbox"') == 5
    present = [str(m.uuid) for m in everyone[:3]]
    response = owner_client.post(held_url(world), {"present": present}, follow=True)
    assert "marked held" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD
    assert world.meeting.recorded_by == world.owner
    rows = Attendance.objects.filter(meeting=world.meeting)
    assert rows.count() == 5
    assert {row.member for row in rows if row.present} == set(everyone[:3])
    event = ContractEvent.objects.get(kind=EventKind.MEETING_HELD)
    assert event.data == {
        "meeting": str(world.meeting.uuid),
        "start": at(2026, 12, 1, 9).isoformat(),
        "present": 3,
        "members": 5,
        "again": False,
    }
    assert "Held: billable in full." in response.content.decode()


@time_machine.travel(at(2026, 12, 1, 11), tick=False)
def test_marking_again_updates_attendance_instead_of_duplicating(
    world: World, owner_client: HttpClient
):
    everyone = members(world)
    owner_client.post(held_url(world), {"present": [str(m.uuid) for m in everyone[:3]]})
    owner_client.post(held_url(world), {"present": [str(m.uuid) for m in everyone[1:5]]})
    rows = Attendance.objects.filter(meeting=world.meeting)
    assert rows.count() == 5
    assert {row.member for row in rows if row.present} == set(everyone[1:5])
    response = owner_client.get(page(world))
    assert response.context["attendance_form"]["present"].value() == [
        str(m.uuid) for m in everyone[1:5]
    ]
    assert ContractEvent.objects.filter(kind=EventKind.MEETING_HELD).count() == 2


@time_machine.travel(at(2026, 12, 1, 11), tick=False)
def test_a_member_who_left_before_the_meeting_is_not_listed(world: World, owner_client: HttpClient):
    gone = members(world)[0]
    gone.left_on = at(2026, 11, 1).date()
    gone.save()
    owner_client.post(held_url(world), {"present": [str(gone.uuid)]})
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED
    assert not Attendance.objects.exists()


@time_machine.travel(at(2026, 11, 30, 12), tick=False)
def test_a_future_meeting_cannot_be_marked_held(world: World, owner_client: HttpClient):
    present = [str(m.uuid) for m in members(world)]
    response = owner_client.post(held_url(world), {"present": present}, follow=True)
    assert "has not started yet" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED
    assert not Attendance.objects.exists()
    assert not ContractEvent.objects.exists()


@time_machine.travel(at(2026, 12, 1, 11), tick=False)
def test_a_cancelled_meeting_cannot_be_marked_held(world: World, owner_client: HttpClient):
    world.meeting.status = MeetingStatus.CANCELLED
    world.meeting.cancelled_at = at(2026, 11, 1)
    world.meeting.save()
    response = owner_client.post(held_url(world), {"present": []}, follow=True)
    assert "Only a planned or held meeting" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CANCELLED


def test_marking_held_needs_post(world: World, owner_client: HttpClient):
    assert owner_client.get(held_url(world)).status_code == 405

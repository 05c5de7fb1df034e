"""A supervisee cancels her individual meeting, or reports her absence from her group's
meeting, from the portal: in time or late under the contract, never after it has started."""

from datetime import date

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_contract, make_meeting
from tests.portal_helpers import log_in_as, member_of
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import ContractEvent, EventKind
from tila.meetings.models import Attendance, CancelledBy, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False


@pytest.fixture
def individual(world: World) -> Meeting:
    """Individual supervision for Iida on 1.12.2026 at 13.00: 24 h notice, late costs 50 %."""
    client = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name="Iida Yksilö"
    )
    person = Person.objects.create(
        practice=world.practice, name="Iida Yksilö", email="iida@example.test"
    )
    ClientMember.objects.create(client=client, person=person, joined_on=date(2026, 1, 1))
    contract = make_contract(world.practice, client, world.owner)
    contract.late_cancellation_percent = 50
    contract.save()
    return make_meeting(contract, world.owner, at(2026, 12, 1, 13))


def cancel_url(meeting: Meeting) -> str:
    return reverse("portal_cancel_meeting", args=[meeting.uuid])


def confirm(http: HttpClient, meeting: Meeting, late: bool) -> str:
    response = http.post(cancel_url(meeting), {"late": "1" if late else "0"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def iida(meeting: Meeting, world: World) -> HttpClient:
    return log_in_as(meeting.contract.client.members.get(), world.owner)


@time_machine.travel(at(2026, 11, 29, 12), tick=False)
def test_in_time_the_page_says_so_and_the_cancellation_is_not_billable(
    world: World, individual: Meeting
) -> None:
    http = iida(individual, world)
    home = http.get(reverse("portal_home")).content.decode()
    assert cancel_url(individual) in home
    page = http.get(cancel_url(individual)).content.decode()
    assert "In time" in page and "until Mon 30.11.2026 at 13:00" in page
    assert "The cancellation is not billable." in page
    assert "After that, a cancellation is late and 50 % billable." in page
    assert "Cancelled in time" not in page
    assert "Your absence was" not in confirm(http, individual, late=False)
    individual.refresh_from_db()
    assert individual.status == MeetingStatus.CANCELLED
    assert individual.cancelled_by == CancelledBy.SUPERVISEE
    assert individual.cancelled_at == at(2026, 11, 29, 12)
    assert (
        individual.recorded_by
        == individual.contract.client.members.get().person.supervisee_account.user
    )
    assert individual.billable_share == 0 and individual.sequence == 1
    event = ContractEvent.objects.get(kind=EventKind.MEETING_CANCELLED)
    assert event.data["cancelled_by"] == "supervisee" and event.data["billable_percent"] == 0


@time_machine.travel(at(2026, 11, 30, 18), tick=False)
def test_late_the_page_says_what_it_costs_and_the_cancellation_is_billable(
    world: World, individual: Meeting
) -> None:
    http = iida(individual, world)
    page = http.get(cancel_url(individual)).content.decode()
    assert "Late" in page and "ended on Mon 30.11.2026 at 13:00" in page
    assert "50 % billable" in page
    assert "cancelled late. Under the contract it is 50 % billable" in confirm(
        http, individual, late=True
    )
    individual.refresh_from_db()
    assert individual.status == MeetingStatus.CANCELLED_LATE
    assert individual.billable_share == 50


def test_if_the_deadline_passes_while_the_page_is_open_she_is_asked_again(
    world: World, individual: Meeting
) -> None:
    http = iida(individual, world)
    with time_machine.travel(at(2026, 11, 30, 12, 59), tick=False):
        assert "In time" in http.get(cancel_url(individual)).content.decode()
    with time_machine.travel(at(2026, 11, 30, 13, 1), tick=False):
        page = confirm(http, individual, late=False)
    assert "has just passed" in page and "50 % billable" in page
    individual.refresh_from_db()
    assert individual.status == MeetingStatus.PLANNED


@time_machine.travel(at(2026, 12, 1, 13, 5), tick=False)
def test_a_meeting_that_has_started_cannot_be_cancelled(world: World, individual: Meeting) -> None:
    http = iida(individual, world)
    page = http.get(cancel_url(individual)).content.decode()
    assert "can no longer be cancelled" in page and 'name="late"' not in page
    assert http.post(cancel_url(individual), {"late": "1"}).status_code == 404
    individual.refresh_from_db()
    assert individual.status == MeetingStatus.PLANNED


@time_machine.travel(at(2026, 11, 15, 12), tick=False)
def test_a_group_member_reports_her_absence_and_the_meeting_stays(
    world: World, owner_client: HttpClient
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    home = http.get(reverse("portal_home")).content.decode()
    assert "Report an absence" in home and cancel_url(world.meeting) in home
    page = http.get(cancel_url(world.meeting)).content.decode()
    assert "held for your group as planned" in page and "In time" in page
    assert "Your absence was reported" in confirm(http, world.meeting, late=False)
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED and world.meeting.cancelled_at is None
    row = Attendance.objects.get(meeting=world.meeting, member=member)
    assert not row.present and row.absence_reported_at == at(2026, 11, 15, 12)
    assert not row.absence_late
    event = ContractEvent.objects.get(kind=EventKind.ABSENCE_REPORTED)
    assert event.data["member"] == str(member.uuid) and event.data["late"] is False
    home = http.get(reverse("portal_home")).content.decode()
    assert "You reported an absence" in home and cancel_url(world.meeting) not in home
    # Reporting twice changes nothing.
    confirm(http, world.meeting, late=False)
    assert ContractEvent.objects.filter(kind=EventKind.ABSENCE_REPORTED).count() == 1
    # The supervisor sees it on the meeting's page and in the contract's history.
    supervisor_page = owner_client.get(reverse("meeting", args=[world.meeting.uuid]))
    assert "Absences reported beforehand" in supervisor_page.content.decode()
    assert member.person.name in supervisor_page.content.decode()
    history = owner_client.get(reverse("contract", args=[world.contract.uuid])).content.decode()
    assert "A member reported an absence from the meeting on Tue 1.12.2026 at 9:00." in history


@time_machine.travel(at(2026, 12, 1, 8), tick=False)
def test_a_late_absence_is_recorded_late(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    page = http.get(cancel_url(world.meeting)).content.decode()
    assert "Late" in page and "ended on Mon 30.11.2026 at 9:00" in page
    assert "later than the contract" in confirm(http, world.meeting, late=True)
    row = Attendance.objects.get(meeting=world.meeting, member=member)
    assert row.absence_late
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED


@time_machine.travel(at(2026, 11, 15, 12), tick=False)
def test_only_her_own_coming_meetings(world: World, owner_client: HttpClient) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    assert http.get(cancel_url(world.other_meeting)).status_code == 404
    assert http.post(cancel_url(world.other_meeting), {"late": "0"}).status_code == 404
    assert owner_client.post(cancel_url(world.meeting), {"late": "0"}).status_code == 404
    past = make_meeting(world.contract, world.owner, at(2026, 11, 3))
    assert http.post(cancel_url(past), {"late": "0"}).status_code == 404
    member.left_on = date(2026, 11, 10)
    member.save()
    assert http.post(cancel_url(world.meeting), {"late": "0"}).status_code == 404
    assert not Attendance.objects.exists()
    world.other_meeting.refresh_from_db()
    assert world.other_meeting.status == MeetingStatus.PLANNED

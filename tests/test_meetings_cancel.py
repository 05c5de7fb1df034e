"""Cancelling a meeting: in time, late (billable) or by the supervisor."""

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at
from tila.contracts.models import ContractEvent, EventKind
from tila.meetings.models import CancelledBy, MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


def cancel_url(world: World) -> str:
    return reverse("cancel_meeting", args=[world.meeting.uuid])


def cancellation(by: str = CancelledBy.SUPERVISEE, at_: str = "2026-11-30T12:00") -> dict[str, str]:
    return {"cancelled_by": by, "cancelled_at": at_, "reason": "Sairastumisia"}


@time_machine.travel(at(2026, 11, 30, 8), tick=False)
def test_the_form_explains_the_terms_and_defaults_to_now(world: World, owner_client: HttpClient):
    response = owner_client.get(cancel_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "needs 24 h notice" in html
    assert "after Mon 30.11.2026 at 9:00 is late and 100 % billable" in html
    assert 'type="datetime-local" name="cancelled_at" value="2026-11-30T08:00"' in html


@time_machine.travel(at(2026, 11, 30, 13), tick=False)
def test_a_cancellation_less_than_a_day_before_is_late_and_billable(
    world: World, owner_client: HttpClient
):
    response = owner_client.post(cancel_url(world), cancellation(), follow=True)
    html = response.content.decode()
    assert "cancelled late" in html
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CANCELLED_LATE
    assert world.meeting.billable
    assert world.meeting.billable_share == 100
    assert world.meeting.cancelled_at == at(2026, 11, 30, 12)
    assert world.meeting.cancelled_by == CancelledBy.SUPERVISEE
    assert world.meeting.cancellation_reason == "Sairastumisia"
    assert world.meeting.recorded_by == world.owner
    assert "Late cancellation: 100 % billable under the contract&#x27;s terms." in html
    assert '<span class="badge billable">Billable 100 %</span>' in html
    event = ContractEvent.objects.get(kind=EventKind.MEETING_CANCELLED)
    assert event.data["status"] == MeetingStatus.CANCELLED_LATE
    assert event.data["billable_percent"] == 100
    assert event.data["cancelled_at"] == at(2026, 11, 30, 12).isoformat()


@time_machine.travel(at(2026, 11, 30, 13), tick=False)
def test_the_share_of_a_late_cancellation_follows_the_contract(
    world: World, owner_client: HttpClient
):
    world.contract.late_cancellation_percent = 50
    world.contract.save()
    owner_client.post(cancel_url(world), cancellation())
    world.meeting.refresh_from_db()
    assert world.meeting.billable_share == 50


@time_machine.travel(at(2026, 11, 30, 13), tick=False)
def test_a_cancellation_with_enough_notice_is_not_billable(world: World, owner_client: HttpClient):
    response = owner_client.post(
        cancel_url(world), cancellation(CancelledBy.ORDERER, "2026-11-30T08:59"), follow=True
    )
    assert "cancelled in time" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CANCELLED
    assert not world.meeting.billable
    assert "Not billable" in response.content.decode()


@time_machine.travel(at(2026, 12, 1, 8), tick=False)
def test_the_supervisors_cancellation_is_never_billable(world: World, owner_client: HttpClient):
    owner_client.post(cancel_url(world), cancellation(CancelledBy.SUPERVISOR, "2026-12-01T08:00"))
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CANCELLED_BY_SUPERVISOR
    assert not world.meeting.billable


@time_machine.travel(at(2026, 11, 30, 13), tick=False)
def test_a_cancellation_time_in_the_future_is_refused(world: World, owner_client: HttpClient):
    response = owner_client.post(cancel_url(world), cancellation(at_="2026-11-30T14:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["cancelled_at"]
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED


@time_machine.travel(at(2026, 11, 30, 13), tick=False)
def test_who_cancelled_is_required(world: World, owner_client: HttpClient):
    response = owner_client.post(cancel_url(world), cancellation(by=""))
    assert response.context["form"].errors["cancelled_by"]
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED


@time_machine.travel(at(2026, 12, 1, 13), tick=False)
def test_only_a_planned_meeting_can_be_cancelled(world: World, owner_client: HttpClient):
    world.meeting.status = MeetingStatus.HELD
    world.meeting.save()
    response = owner_client.post(cancel_url(world), cancellation(), follow=True)
    assert "Only a planned meeting can be cancelled." in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD
    assert owner_client.get(cancel_url(world)).status_code == 302


def test_a_colleague_cannot_cancel_annas_meeting(world: World, colleague_client: HttpClient):
    assert colleague_client.post(cancel_url(world), cancellation()).status_code == 404
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED

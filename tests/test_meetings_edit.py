"""Moving a planned meeting: new time or place, with the same overlap rules as planning."""

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from tests.factories import World, at, make_meeting
from tila.contracts.models import ContractEvent, EventKind
from tila.lib.templatetags.tila import clock, when
from tila.meetings.models import MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(2026, 11, 20, 8), tick=False):
        yield


def edit_url(world: World) -> str:
    return reverse("edit_meeting", args=[world.meeting.uuid])


def move(start: str, end: str, place: str = "Etänä") -> dict[str, str]:
    return {
        "start": start,
        "end": end,
        "place": place,
        "remote_link": "https://meet.example.test/x",
    }


def test_the_form_shows_the_current_time_in_local_time(world: World, owner_client: HttpClient):
    html = owner_client.get(edit_url(world)).content.decode()
    assert 'value="2026-12-01T09:00"' in html
    assert 'value="2026-12-01T10:30"' in html


def test_a_planned_meeting_moves(world: World, owner_client: HttpClient):
    response = owner_client.post(edit_url(world), move("2026-12-02T12:00", "2026-12-02T13:30"))
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.start == at(2026, 12, 2, 12)
    assert world.meeting.end == at(2026, 12, 2, 13, 30)
    assert world.meeting.place == "Etänä"
    assert world.meeting.remote_link == "https://meet.example.test/x"
    event = ContractEvent.objects.get(kind=EventKind.MEETING_MOVED)
    assert event.data["from_start"] == at(2026, 12, 1, 9).isoformat()
    assert event.data["to_start"] == at(2026, 12, 2, 12).isoformat()


def test_end_before_start_is_refused(world: World, owner_client: HttpClient):
    response = owner_client.post(edit_url(world), move("2026-12-02T12:00", "2026-12-02T11:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["The meeting must end after it starts."]
    world.meeting.refresh_from_db()
    assert world.meeting.start == at(2026, 12, 1, 9)
    assert not ContractEvent.objects.exists()


def test_moving_onto_another_meeting_is_refused_naming_it(world: World, owner_client: HttpClient):
    make_meeting(world.contract, world.owner, at(2026, 12, 2, 12))
    response = owner_client.post(edit_url(world), move("2026-12-02T13:00", "2026-12-02T14:30"))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    with translation.override("en"):
        assert f"{when(at(2026, 12, 2, 12))}–{clock(at(2026, 12, 2, 13, 30))}" in error
    world.meeting.refresh_from_db()
    assert world.meeting.start == at(2026, 12, 1, 9)


def test_moving_within_its_own_time_is_no_clash(world: World, owner_client: HttpClient):
    response = owner_client.post(edit_url(world), move("2026-12-01T09:30", "2026-12-01T11:00"))
    assert response.status_code == 302


def test_only_a_planned_meeting_can_be_moved(world: World, owner_client: HttpClient):
    world.meeting.status = MeetingStatus.CANCELLED
    world.meeting.cancelled_at = at(2026, 11, 1)
    world.meeting.save()
    response = owner_client.post(
        edit_url(world), move("2026-12-02T12:00", "2026-12-02T13:30"), follow=True
    )
    assert "Only a planned meeting can be moved." in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.start == at(2026, 12, 1, 9)


def test_a_colleague_cannot_move_annas_meeting(world: World, colleague_client: HttpClient):
    response = colleague_client.post(edit_url(world), move("2026-12-02T12:00", "2026-12-02T13:30"))
    assert response.status_code == 404

"""Calendar files from the portal, parsed back with icalendar: one meeting, or all coming."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.meetings.actions import cancel_meeting, move_meeting
from tila.meetings.calendar import event_uid
from tila.meetings.models import Meeting

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def download(http: HttpClient, url: str) -> Calendar:
    response = http.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> list[Any]:
    """The calendar's events, untyped: each property's value type depends on the property."""
    return list(calendar.walk("VEVENT"))


def events(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in vevents(calendar)}


def one(http: HttpClient, meeting: Meeting) -> Calendar:
    return download(http, reverse("portal_meeting_calendar", args=[meeting.uuid]))


def test_one_meeting_as_an_event_with_a_stable_uid_and_helsinki_time(world: World) -> None:
    world.meeting.place = "Kuuselan päiväkoti, neuvotteluhuone"
    world.meeting.remote_link = "https://meet.example.test/oravat"
    world.meeting.save()
    http = log_in_as(member_of(world.contract), world.owner)
    calendar = one(http, world.meeting)
    [event] = vevents(calendar)
    assert str(event["UID"]) == f"{world.meeting.uuid}@tila"
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTAMP"].dt.tzinfo is not None
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert start == at(2026, 12, 1, 9) and end == at(2026, 12, 1, 10, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Helsinki"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Kuuselan päiväkoti, neuvotteluhuone"
    assert str(event["URL"]) == "https://meet.example.test/oravat"
    assert "https://meet.example.test/oravat" in str(event["DESCRIPTION"])


def test_the_summary_names_no_client_and_no_person(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    http.cookies["django_language"] = "en"
    raw = http.get(reverse("portal_meeting_calendar", args=[world.meeting.uuid])).content.decode()
    [event] = vevents(Calendar.from_ical(raw))
    assert str(event["SUMMARY"]) == "Work supervision 1/10"
    unfolded = raw.replace("\r\n ", "")
    for name in (world.client.name, world.contract.title, member.person.name, world.owner.name):
        assert name not in unfolded


def test_all_coming_meetings_with_cancelled_ones_marked_and_past_ones_left_out(
    world: World,
) -> None:
    past = make_meeting(world.contract, world.owner, at(2026, 11, 3))
    later = make_meeting(world.contract, world.owner, at(2026, 12, 22))
    dropped = make_meeting(world.contract, world.owner, at(2027, 1, 12))
    cancel_meeting(
        meeting=dropped,
        cancelled_by="supervisor",
        cancelled_at=timezone.now(),
        reason="",
        actor=world.owner,
    )
    http = log_in_as(member_of(world.contract), world.owner)
    found = events(download(http, reverse("portal_calendar")))
    assert set(found) == {event_uid(m) for m in (world.meeting, later, dropped)}
    assert event_uid(past) not in found
    cancelled = found[event_uid(dropped)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert str(found[event_uid(later)]["STATUS"]) == "CONFIRMED"


def test_moving_a_meeting_keeps_its_uid_and_raises_its_sequence(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    before = vevents(one(http, world.meeting))[0]
    new_start = at(2026, 12, 2, 13)
    move_meeting(
        meeting=world.meeting,
        start=new_start,
        end=new_start + timedelta(minutes=90),
        place="Uusi paikka",
        remote_link="",
        actor=world.owner,
    )
    after = vevents(one(http, world.meeting))[0]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt.astimezone(HELSINKI) == new_start
    assert str(after["LOCATION"]) == "Uusi paikka"


def test_only_ones_own_meetings_while_a_member(world: World, owner_client: HttpClient) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    assert (
        http.get(reverse("portal_meeting_calendar", args=[world.other_meeting.uuid])).status_code
        == 404
    )
    assert (
        owner_client.get(reverse("portal_meeting_calendar", args=[world.meeting.uuid])).status_code
        == 404
    )
    earlier = make_meeting(world.contract, world.owner, at(2026, 11, 3))
    member.joined_on = date(2026, 11, 10)
    member.save()
    assert http.get(reverse("portal_meeting_calendar", args=[earlier.uuid])).status_code == 404
    assert (
        http.get(reverse("portal_meeting_calendar", args=[world.meeting.uuid])).status_code == 200
    )
    member.left_on = date(2026, 11, 12)
    member.save()
    assert (
        http.get(reverse("portal_meeting_calendar", args=[world.meeting.uuid])).status_code == 404
    )
    assert events(download(http, reverse("portal_calendar"))) == {}

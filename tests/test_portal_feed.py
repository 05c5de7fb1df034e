"""A supervisee's private calendar subscription: her own meetings only, titles that say what
the meeting is to her and name no one, a link shown once and revocable."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.clients.actions import end_membership
from tila.meetings.actions import cancel_meeting
from tila.meetings.calendar import event_uid
from tila.portal.models import PortalCalendarFeed

pytestmark = pytest.mark.django_db

PAGE = "/portal/calendar/"
LINK = re.compile(r'value="(http://testserver/portal/calendar/feed/[^"]+/)"')


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def make_link(http: HttpClient) -> str:
    response = http.post(PAGE, {"action": "new"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = LINK.search(response.content.decode())
    assert found is not None
    return found.group(1).removeprefix("http://testserver")


def subscribe(url: str) -> dict[str, Any]:
    """What a calendar program gets from the link, without logging in: the events by UID."""
    response = HttpClient().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_her_own_meetings_with_honest_titles(world: World):
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    held = make_meeting(world.contract, world.owner, at(2026, 11, 3, 9))
    events = subscribe(make_link(http))
    assert set(events) == {event_uid(world.meeting), event_uid(held)}
    coming = events[event_uid(world.meeting)]
    assert str(coming["SUMMARY"]) == "Työnohjaus 2/10"
    assert coming.decoded("DTSTART") == at(2026, 12, 1)
    # Her colleague's group and the other practice's meetings are not hers.
    assert event_uid(world.other_meeting) not in events
    text = str(coming.to_ical().decode())
    assert world.client.name not in text and member.person.name not in text


def test_a_cancelled_meeting_stays_marked_cancelled(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    cancel_meeting(
        meeting=world.meeting,
        cancelled_by="supervisor",
        cancelled_at=at(2026, 11, 15, 12),
        reason="",
        actor=world.owner,
    )
    [event] = subscribe(make_link(http)).values()
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Peruttu:")


def test_the_feed_speaks_her_language(world: World):
    member = member_of(world.contract)
    member.person.language = "en"
    member.person.save()
    http = log_in_as(member, world.owner)
    [event] = subscribe(make_link(http)).values()
    assert str(event["SUMMARY"]) == "Work supervision 1/10"


def test_the_link_is_shown_once_and_a_new_one_stops_the_old(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    first = make_link(http)
    page = http.get(PAGE).content.decode()
    assert first not in page
    assert LINK.search(page) is None
    second = make_link(http)
    assert HttpClient().get(first).status_code == 404
    assert subscribe(second)
    assert PortalCalendarFeed.objects.count() == 1


def test_a_revoked_or_unknown_link_finds_nothing(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    url = make_link(http)
    response = http.post(PAGE, {"action": "revoke"})
    assert response.status_code == 302
    assert not PortalCalendarFeed.objects.exists()
    assert HttpClient().get(url).status_code == 404
    assert HttpClient().get("/portal/calendar/feed/not-a-token/").status_code == 404


def test_a_deactivated_supervisee_gets_nothing(world: World):
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    url = make_link(http)
    user = member.person.supervisee_account.user
    user.is_active = False
    user.save()
    assert HttpClient().get(url).status_code == 404


def test_after_she_leaves_the_group_its_meetings_leave_her_calendar(world: World):
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    url = make_link(http)
    end_membership(member=member, left_on=date(2026, 11, 15), actor=world.owner)
    assert subscribe(url) == {}


def test_the_feed_ends_a_year_ahead(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    far = make_meeting(world.contract, world.owner, at(2026, 11, 15, 12) + timedelta(days=400))
    assert event_uid(far) not in subscribe(make_link(http))


def test_the_portal_home_points_to_the_subscription(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    page = http.get(reverse("portal_home")).content.decode()
    assert PAGE in page


def test_the_feed_answers_only_reading(world: World):
    http = log_in_as(member_of(world.contract), world.owner)
    url = make_link(http)
    assert HttpClient().post(url).status_code == 405

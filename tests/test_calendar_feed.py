"""The private calendar subscription: a secret link per member, pseudonymous by default."""

import re

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from tests.factories import World, at, make_meeting
from tila.meetings.models import CalendarFeed

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 1, 12)


def make_link(http: HttpClient) -> str:
    """Make a new link on the subscription page and return the path it shows, once."""
    response = http.post(reverse("calendar_subscription"), {"action": "new"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = re.search(r'value="https?://[^/"]+(/calendar/feed/[^"]+/)"', response.content.decode())
    assert found, "the new link is shown"
    return found.group(1)


def fetch(path: str) -> Calendar:
    response = HttpClient().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def names_in(world: World) -> list[str]:
    people = [m.person.name for m in world.client.members.select_related("person")]
    return [world.client.name, world.organisation.name, *people]


def with_place(world: World) -> None:
    world.contract.place = "Päiväkoti Kuusela, neuvotteluhuone"
    world.contract.save()


@time_machine.travel(NOW, tick=False)
def test_the_feed_is_pseudonymous_by_default(world: World, owner_client: HttpClient) -> None:
    with_place(world)
    path = make_link(owner_client)
    response = HttpClient().get(path)
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [f"{world.meeting.uuid}@tila"]
    (title,) = summaries(calendar)
    assert re.fullmatch(r"Työnohjaus · tiimi [A-Z]{2}", title)
    text = response.content.decode()
    for name in [*names_in(world), "Päiväkoti Kuusela"]:
        assert name not in text
    # A place often names the client: it is left out too.
    assert "LOCATION" not in events[0] and "URL" not in events[0]
    # The label stays the same from one poll to the next.
    assert summaries(fetch(path)) == [title]


@time_machine.travel(NOW, tick=False)
def test_client_names_when_the_supervisor_chooses(world: World, owner_client: HttpClient) -> None:
    with_place(world)
    path = make_link(owner_client)
    response = owner_client.post(
        reverse("calendar_subscription"), {"action": "names", "show_client_names": "1"}
    )
    assert response.status_code == 302
    named = fetch(path)
    assert summaries(named) == [f"Työnohjaus · {world.client.name}"]
    assert str(named.walk("VEVENT")[0]["LOCATION"]) == world.contract.place
    owner_client.post(
        reverse("calendar_subscription"), {"action": "names", "show_client_names": "0"}
    )
    assert world.client.name not in summaries(fetch(path))[0]


@time_machine.travel(NOW, tick=False)
def test_from_thirty_days_back_to_a_year_ahead(world: World, owner_client: HttpClient) -> None:
    kept = [make_meeting(world.contract, world.owner, at(2026, 10, 5)).uuid]
    kept.append(make_meeting(world.contract, world.owner, at(2027, 10, 28)).uuid)
    make_meeting(world.contract, world.owner, at(2026, 9, 28))
    make_meeting(world.contract, world.owner, at(2027, 11, 5))
    uids = {str(event["UID"]) for event in fetch(make_link(owner_client)).walk("VEVENT")}
    assert uids == {f"{u}@tila" for u in [*kept, world.meeting.uuid]}


@time_machine.travel(NOW, tick=False)
def test_revoked_new_and_unknown_links(world: World, owner_client: HttpClient) -> None:
    first = make_link(owner_client)
    second = make_link(owner_client)
    assert HttpClient().get(first).status_code == 404
    fetch(second)
    assert (
        owner_client.post(reverse("calendar_subscription"), {"action": "revoke"}).status_code == 302
    )
    assert HttpClient().get(second).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert HttpClient().get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_only_the_hash_of_the_token_is_stored(owner_client: HttpClient) -> None:
    path = make_link(owner_client)
    token = path.rstrip("/").rsplit("/", 1)[1]
    feed = CalendarFeed.objects.get()
    assert len(feed.token_hash) == 64 and token not in feed.token_hash
    page = owner_client.get(reverse("calendar_subscription")).content.decode()
    assert token not in page


@time_machine.travel(NOW, tick=False)
def test_each_link_shows_only_its_owners_meetings(
    world: World, owner_client: HttpClient, colleague_client: HttpClient, other_client: HttpClient
) -> None:
    colleague_meeting = make_meeting(world.colleague_contract, world.colleague, at(2026, 12, 2))
    uids = {str(e["UID"]) for e in fetch(make_link(colleague_client)).walk("VEVENT")}
    assert uids == {f"{colleague_meeting.uuid}@tila"}
    uids = {str(e["UID"]) for e in fetch(make_link(other_client)).walk("VEVENT")}
    assert uids == {f"{world.other_meeting.uuid}@tila"}
    uids = {str(e["UID"]) for e in fetch(make_link(owner_client)).walk("VEVENT")}
    assert uids == {f"{world.meeting.uuid}@tila"}

"""The meeting list: upcoming, past or all, by status, searchable, with 'N/M'."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tila.contracts.models import Contract
from tila.meetings.models import Meeting, MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(2026, 11, 20, 8), tick=False):
        yield


def weekly(contract: Contract, count: int, first=None) -> list[Meeting]:
    first = first or at(2026, 9, 2, 14)
    supervisor = contract.supervisors.get()
    return [make_meeting(contract, supervisor, first + timedelta(weeks=i)) for i in range(count)]


def listed(response) -> list[Meeting]:
    return list(response.context["page_obj"])


def test_upcoming_meetings_are_shown_first_by_default(world: World, owner_client: HttpClient):
    [past] = weekly(world.contract, 1, at(2026, 11, 10, 14))
    response = owner_client.get(reverse("meeting_list"))
    assert response.status_code == 200
    assert listed(response) == [world.meeting]
    html = response.content.decode()
    assert "2/10" in html  # the meeting of 10.11. is the first
    assert '<span class="badge planned">Planned</span>' in html
    assert listed(owner_client.get(reverse("meeting_list"), {"when": "past"})) == [past]
    assert listed(owner_client.get(reverse("meeting_list"), {"when": "all"})) == [
        world.meeting,
        past,
    ]


def test_an_unknown_choice_falls_back_to_upcoming(world: World, owner_client: HttpClient):
    response = owner_client.get(reverse("meeting_list"), {"when": "yesterday", "status": "x"})
    assert response.status_code == 200
    assert listed(response) == [world.meeting]


def test_the_list_filters_by_status_and_shows_billable(world: World, owner_client: HttpClient):
    late, in_time = weekly(world.contract, 2, at(2026, 11, 3, 14))
    Meeting.objects.filter(pk=late.pk).update(
        status=MeetingStatus.CANCELLED_LATE, cancelled_at=at(2026, 11, 3, 8)
    )
    Meeting.objects.filter(pk=in_time.pk).update(
        status=MeetingStatus.CANCELLED, cancelled_at=at(2026, 11, 1, 8)
    )
    response = owner_client.get(
        reverse("meeting_list"), {"when": "all", "status": MeetingStatus.CANCELLED_LATE}
    )
    assert listed(response) == [late]
    assert '<span class="badge billable">Billable 100 %</span>' in response.content.decode()
    response = owner_client.get(
        reverse("meeting_list"), {"when": "all", "status": MeetingStatus.CANCELLED}
    )
    assert listed(response) == [in_time]
    assert "Billable" not in response.content.decode()


def test_the_list_searches_by_contract_client_and_orderer(world: World, owner_client: HttpClient):
    weekly(world.colleague_contract, 1, at(2026, 12, 3, 14))
    for query in ("Oravat", "tiimityönohjaus päiväkoti", "Tampereen"):
        response = owner_client.get(reverse("meeting_list"), {"q": query})
        assert world.meeting in listed(response), query
    response = owner_client.get(reverse("meeting_list"), {"q": "Tampereen"})
    assert listed(response) == [world.meeting]
    response = owner_client.get(reverse("meeting_list"), {"q": "nothing like this"})
    assert listed(response) == []
    assert "No meetings match" in response.content.decode()


def test_pages_keep_the_filters(world: World, owner_client: HttpClient):
    weekly(world.contract, 30, at(2026, 12, 2, 14))
    response = owner_client.get(reverse("meeting_list"), {"when": "upcoming", "q": "Oravat"})
    html = response.content.decode()
    assert "?when=upcoming&amp;q=Oravat&amp;page=2" in html
    response = owner_client.get(reverse("meeting_list"), {"when": "upcoming", "page": "2"})
    assert len(listed(response)) == 6


def test_each_member_sees_only_the_meetings_she_may_see(
    world: World, owner_client: HttpClient, colleague_client: HttpClient, other_client: HttpClient
):
    [colleagues] = weekly(world.colleague_contract, 1, at(2026, 12, 3, 14))
    assert set(listed(owner_client.get(reverse("meeting_list")))) == {world.meeting, colleagues}
    assert listed(colleague_client.get(reverse("meeting_list"))) == [colleagues]
    assert listed(other_client.get(reverse("meeting_list"))) == [world.other_meeting]


@pytest.mark.parametrize("extra", [0, 20])
def test_the_list_runs_the_same_queries_for_few_and_many_rows(
    world: World, owner_client: HttpClient, django_assert_max_num_queries, extra: int
):
    weekly(world.contract, extra, at(2026, 12, 2, 14))
    weekly(world.colleague_contract, extra, at(2026, 12, 2, 14))
    with django_assert_max_num_queries(6):  # +1: the second-factor check of every request
        response = owner_client.get(reverse("meeting_list"), {"when": "all"})
    assert len(listed(response)) == min(1 + 2 * extra, 25)

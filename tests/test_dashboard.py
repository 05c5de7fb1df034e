"""The supervisor's start page: today, the coming two weeks, what needs attention."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_contract, make_meeting, make_team
from tila.contracts.models import Acceptance, Contract, Party, Status
from tila.meetings.models import Meeting, MeetingStatus


@pytest.fixture(autouse=True)
def english_and_long_sessions(settings):
    settings.LANGUAGE_CODE = "en"
    # The clients log in before a test travels in time; keep their sessions valid there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(2026, 12, 1, 8), tick=False):
        yield


def accept(contract: Contract, *parties: str, version: int = 1) -> None:
    for party in parties or Party.values:
        Acceptance.objects.create(
            contract=contract,
            version=version,
            party=party,
            accepted_by_name="Nimi",
            accepted_at=at(2026, 8, 20),
        )


def reasons(response, contract: Contract) -> list[str]:
    for item in response.context["attention"]:
        if item.contract == contract:
            return [str(reason.label) for reason in item.reasons]
    return []


def dashboard(client: HttpClient):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def test_today_and_the_next_fourteen_days(world: World, owner_client: HttpClient):
    soon = make_meeting(world.contract, world.owner, at(2026, 12, 15, 14))
    later = make_meeting(world.contract, world.owner, at(2026, 12, 16, 14))
    cancelled = make_meeting(world.contract, world.owner, at(2026, 12, 3, 14))
    Meeting.objects.filter(pk=cancelled.pk).update(
        status=MeetingStatus.CANCELLED, cancelled_at=at(2026, 11, 20)
    )
    response = dashboard(owner_client)
    assert list(response.context["today_meetings"]) == [world.meeting]
    assert list(response.context["coming"]) == [soon]
    assert later not in response.context["coming"]
    html = response.content.decode()
    assert "9:00–10:30" in html
    assert "1/10" in html
    assert "Next 14 days" in html


def test_ended_meetings_not_marked_held_are_listed(world: World, owner_client: HttpClient):
    forgotten = make_meeting(world.contract, world.owner, at(2026, 11, 24, 14))
    held = make_meeting(world.contract, world.owner, at(2026, 11, 17, 14))
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD)
    response = dashboard(owner_client)
    assert list(response.context["unmarked"]) == [forgotten]
    assert response.context["unmarked_count"] == 1
    assert "Not marked held" in response.content.decode()


def test_an_unaccepted_current_version_needs_attention(world: World, owner_client: HttpClient):
    accept(world.contract, Party.SUPERVISOR, Party.SUPERVISEES)
    response = dashboard(owner_client)
    assert reasons(response, world.contract) == ["Not accepted"]
    assert "Version 1 waits for: Orderer" in response.content.decode()
    accept(world.contract, Party.ORDERER)
    accept(world.colleague_contract)
    response = dashboard(owner_client)
    assert reasons(response, world.contract) == []
    assert "Nothing needs attention now." in response.content.decode()


def test_a_new_version_needs_accepting_again(world: World, owner_client: HttpClient):
    accept(world.contract)
    world.contract.version = 2
    world.contract.save()
    assert reasons(dashboard(owner_client), world.contract) == ["Not accepted"]


def test_without_an_orderer_two_parties_accept(world: World, owner_client: HttpClient):
    world.contract.organisation = None
    world.contract.save()
    accept(world.contract, Party.SUPERVISOR, Party.SUPERVISEES)
    assert reasons(dashboard(owner_client), world.contract) == []


def test_an_interim_evaluation_within_thirty_days_needs_attention(
    world: World, owner_client: HttpClient
):
    accept(world.contract)
    world.contract.start_date = date(2026, 6, 15)  # six months on: 15.12.2026
    world.contract.save()
    response = dashboard(owner_client)
    assert reasons(response, world.contract) == ["Interim evaluation due"]
    assert "Tue 15.12.2026" in response.content.decode()


def test_few_meetings_left_needs_attention(world: World, owner_client: HttpClient):
    """Eight of ten meetings behind us: time to talk about continuing."""
    accept(world.contract)
    for week in range(8):
        meeting = make_meeting(
            world.contract, world.owner, at(2026, 9, 2, 14) + timedelta(weeks=week)
        )
        meeting.status = MeetingStatus.HELD
        meeting.save()
    response = dashboard(owner_client)
    assert reasons(response, world.contract) == ["Few meetings left"]
    assert "8 of 10 meetings used" in response.content.decode()


def test_planned_meetings_do_not_count_as_used(world: World, owner_client: HttpClient):
    accept(world.contract)
    for week in range(9):
        make_meeting(world.contract, world.owner, at(2026, 12, 2, 14) + timedelta(weeks=week))
    assert reasons(dashboard(owner_client), world.contract) == []


def test_meetings_cancelled_in_time_do_not_use_up_the_contract(
    world: World, owner_client: HttpClient
):
    accept(world.contract)
    for week in range(7):
        meeting = make_meeting(
            world.contract, world.owner, at(2026, 12, 2, 14) + timedelta(weeks=week)
        )
        if week:
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancelled_at = at(2026, 11, 1)
            meeting.save()
    assert reasons(dashboard(owner_client), world.contract) == []


def test_a_contract_ending_within_thirty_days_needs_attention(
    world: World, owner_client: HttpClient
):
    accept(world.contract)
    world.contract.end_date = date(2026, 12, 20)
    world.contract.save()
    response = dashboard(owner_client)
    # The next evaluation point falls after the end, so the final evaluation is due then.
    assert reasons(response, world.contract) == ["Final evaluation due", "Ending soon"]


def test_ended_contracts_need_no_attention(world: World, owner_client: HttpClient):
    world.contract.status = Status.ENDED
    world.contract.end_date = date(2026, 12, 20)
    world.contract.save()
    assert reasons(dashboard(owner_client), world.contract) == []


def test_each_member_sees_only_what_she_may_see(
    world: World, colleague_client: HttpClient, other_client: HttpClient
):
    colleagues = make_meeting(world.colleague_contract, world.colleague, at(2026, 12, 1, 9))
    response = dashboard(colleague_client)
    assert list(response.context["today_meetings"]) == [colleagues]
    contracts = {item.contract for item in response.context["attention"]}
    assert contracts == {world.colleague_contract}
    response = dashboard(other_client)
    assert list(response.context["today_meetings"]) == [world.other_meeting]
    assert {item.contract for item in response.context["attention"]} == {world.other_contract}
    annas = reverse("meeting", args=[world.meeting.uuid])
    assert annas not in response.content.decode()
    assert annas not in dashboard(colleague_client).content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_the_dashboard_runs_the_same_queries_for_few_and_many_rows(
    world: World, owner_client: HttpClient, django_assert_max_num_queries, extra: int
):
    for index in range(extra):
        client = make_team(world.practice, world.organisation, size=1)
        contract = make_contract(world.practice, client, world.owner, world.organisation)
        accept(contract, Party.SUPERVISOR)
        start = at(2026, 11, 2, 14) + timedelta(days=index * 3)
        for week in range(3):  # past (not marked), today-ish and coming meetings
            make_meeting(contract, world.owner, start + timedelta(weeks=week))
    # +1: the second-factor check of every request; +1: the pinned crisis inquiries;
    # +1: the pinned open scheduling polls.
    with django_assert_max_num_queries(11):
        response = dashboard(owner_client)
    assert len(response.context["attention"]) == 1 + extra + 1  # with the colleague's
    if extra:
        assert len(response.context["today_meetings"]) == 2
        assert response.context["coming"]
        assert response.context["unmarked_count"] > 10

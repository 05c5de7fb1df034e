"""The contract list: search, status filter, meetings used, and a constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import World, at, make_contract, make_meeting, make_team
from tila.contracts.models import Contract, Status
from tila.meetings.models import MeetingStatus


@pytest.fixture(autouse=True)
def _english(settings):
    # Assert on the English msgids, whatever the Finnish catalogue holds.
    settings.LANGUAGE_CODE = "en"


URL = reverse("contract_list")


def add_contracts(world: World, count: int) -> None:
    for index in range(count):
        team = make_team(world.practice, world.organisation, size=1)
        contract = make_contract(
            world.practice, team, world.owner, world.organisation, world.contact
        )
        contract.title = f"Lisäsopimus {index}"
        contract.save()
        make_meeting(contract, world.owner, at(2027, 1, 1 + index % 28, 8 + 2 * (index // 28)))


def test_owner_sees_the_practice_contracts_with_status_badge_and_meetings_used(owner_client, world):
    held = make_meeting(world.contract, world.owner, at(2026, 10, 1))
    held.status = MeetingStatus.HELD
    held.save()
    cancelled = make_meeting(world.contract, world.owner, at(2026, 10, 22))
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    late = make_meeting(world.contract, world.owner, at(2026, 11, 12))
    late.status = MeetingStatus.CANCELLED_LATE
    late.cancelled_at = timezone.now()
    late.save()

    response = owner_client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert world.contract.title in content
    assert world.colleague_contract.title in content
    assert world.other_contract.uuid.hex not in content.replace("-", "")
    assert '<span class="badge active">Active</span>' in content
    assert "Tampereen kaupunki" in content and "Kaisa Esimies" in content
    assert "Team supervision" in content
    assert "1.9.2026 – 30.6.2027" in content
    # The planned meeting of the world, the held one and the late-cancelled one count.
    rows = {c.uuid: c for c in response.context["page_obj"]}
    assert rows[world.contract.uuid].meetings_used == 3
    assert rows[world.colleague_contract.uuid].meetings_used == 0
    assert "3/10" in content and "0/10" in content


def test_supervisor_role_sees_only_her_own_contracts(colleague_client, world):
    response = colleague_client.get(URL)

    assert [c.uuid for c in response.context["page_obj"]] == [world.colleague_contract.uuid]


def test_assistant_sees_every_contract_of_the_practice_but_no_new_button(assistant_client, world):
    response = assistant_client.get(URL)

    assert {c.uuid for c in response.context["page_obj"]} == {
        world.contract.uuid,
        world.colleague_contract.uuid,
    }
    assert reverse("new_contract") not in response.content.decode()


@pytest.mark.parametrize("query", ["Kuusela", "tampereen", "kaisa", "TIIMITY"])
def test_search_finds_by_title_client_and_orderer(owner_client, world, query):
    response = owner_client.get(URL, {"q": query})

    assert world.contract.uuid in {c.uuid for c in response.context["page_obj"]}


def test_search_without_match_says_so(owner_client, world):
    response = owner_client.get(URL, {"q": "ei löydy mitään"})

    assert list(response.context["page_obj"]) == []
    assert "Nothing matched the search." in response.content.decode()


def test_status_filter_shows_only_that_status(owner_client, world):
    Contract.objects.filter(pk=world.colleague_contract.pk).update(status=Status.DRAFT)

    response = owner_client.get(URL, {"status": "draft"})

    assert [c.uuid for c in response.context["page_obj"]] == [world.colleague_contract.uuid]
    assert '<option value="draft" selected>' in response.content.decode()


def test_unknown_status_filter_is_ignored(owner_client, world):
    response = owner_client.get(URL, {"status": "bogus"})

    assert len(response.context["page_obj"]) == 2


def test_pagination_keeps_the_search_and_the_filter(owner_client, world):
    add_contracts(world, 30)

    response = owner_client.get(URL, {"status": "active", "q": "Lisäsopimus"})

    content = response.content.decode()
    assert "Page 1 of 2" in content
    assert "?status=active&amp;q=Lis%C3%A4sopimus&amp;page=2" in content


@pytest.mark.parametrize("extra", [0, 20])
def test_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    owner_client, world, django_assert_max_num_queries, extra
):
    add_contracts(world, extra)
    owner_client.get(URL)  # warm the session

    with django_assert_max_num_queries(6):  # +1: the second-factor check of every request
        response = owner_client.get(URL)

    assert len(response.context["page_obj"]) == 2 + extra


def test_period_without_end_date_shows_only_the_start(owner_client, world):
    Contract.objects.filter(pk=world.contract.pk).update(end_date=None)

    response = owner_client.get(URL)

    assert "1.9.2026 – </td>" in response.content.decode()

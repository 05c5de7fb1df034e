"""The list of clients: counts, search, paging, and the wall between practices."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import World, make_contract, make_team
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import Status

URL = reverse("client_list")


def row_of(body: str, name: str) -> str:
    """The table row that holds ``name``."""
    start = body.index(name)
    return body[body.rindex("<tr", 0, start) : body.index("</tr>", start)]


@pytest.mark.parametrize("persona", ["owner_client", "assistant_client", "colleague_client"])
def test_every_role_sees_the_practices_clients(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    http: HttpClient = request.getfixturevalue(persona)
    response = http.get(URL)
    assert response.status_code == 200
    names = [client.name for client in response.context["page_obj"]]
    assert sorted(names) == sorted(
        Client.objects.filter(practice=world.practice).values_list("name", flat=True)
    )
    assert world.other_client.uuid not in [c.uuid for c in response.context["page_obj"]]


def test_the_list_shows_kind_orderer_current_members_and_open_contracts(
    owner_client: HttpClient, world: World
) -> None:
    world.client.name = "Oravat"
    world.client.save()
    leaver = world.client.members.first()
    assert leaver is not None
    leaver.left_on = date(2026, 6, 1)
    leaver.save()
    make_contract(world.practice, world.client, world.owner, status=Status.ENDED)
    make_contract(world.practice, world.client, world.owner, status=Status.DRAFT)

    response = owner_client.get(URL)
    listed = {c.uuid: c for c in response.context["page_obj"]}[world.client.uuid]
    assert listed.member_count == 4
    assert listed.open_contract_count == 2  # the active one and the draft, not the ended one

    row = row_of(response.content.decode(), "Oravat")
    assert "Team" in row or "Tiimi" in row
    assert world.organisation.name in row
    assert '<td class="num" data-label="' in row


def test_a_supervisor_counts_only_the_contracts_she_may_see(
    colleague_client: HttpClient, world: World
) -> None:
    response = colleague_client.get(URL)
    listed = {c.uuid: c for c in response.context["page_obj"]}
    assert listed[world.client.uuid].open_contract_count == 0
    assert listed[world.colleague_contract.client.uuid].open_contract_count == 1


def test_the_search_finds_a_client_by_its_name(owner_client: HttpClient, world: World) -> None:
    other = make_team(world.practice, None, size=1)
    other.name = "Kotihoito Itä"
    other.save()
    response = owner_client.get(URL, {"q": "kotihoito"})
    assert [c.name for c in response.context["page_obj"]] == ["Kotihoito Itä"]
    assert 'value="kotihoito"' in response.content.decode()


def test_the_search_finds_a_client_by_a_members_name_once(
    owner_client: HttpClient, world: World
) -> None:
    person = Person.objects.create(practice=world.practice, name="Ulla Uniikki")
    ClientMember.objects.create(client=world.client, person=person, left_on=None)
    twin = Person.objects.create(practice=world.practice, name="Ulla Uniikki-Toinen")
    ClientMember.objects.create(client=world.client, person=twin)

    response = owner_client.get(URL, {"q": "uniikki"})
    assert [c.uuid for c in response.context["page_obj"]] == [world.client.uuid]


def test_the_search_finds_a_client_by_its_orderer(owner_client: HttpClient, world: World) -> None:
    response = owner_client.get(URL, {"q": "tampereen"})
    assert [c.uuid for c in response.context["page_obj"]] == [world.client.uuid]


def test_the_search_does_not_reach_another_practice(owner_client: HttpClient, world: World) -> None:
    response = owner_client.get(URL, {"q": "Espoon"})
    assert list(response.context["page_obj"]) == []
    assert world.other_client.name not in response.content.decode()


def add_clients(world: World, count: int) -> None:
    for index in range(count):
        team = make_team(world.practice, world.organisation, size=3)
        team.name = f"Tiimi {index:02d}"
        team.save()
        make_contract(world.practice, team, world.owner, world.organisation)


LIST_QUERIES = 6  # session, user, second-factor check, membership, count, page


def test_the_number_of_queries_does_not_grow_with_the_rows(
    owner_client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as few:
        assert len(owner_client.get(URL).context["page_obj"]) == 2
    add_clients(world, 23)
    with CaptureQueriesContext(connection) as many:
        assert len(owner_client.get(URL).context["page_obj"]) == 25
    assert len(many) == len(few)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = owner_client.get(URL, {"q": "tiimi"})
    assert len(response.context["page_obj"]) == 23


def test_the_list_is_paginated(owner_client: HttpClient, world: World) -> None:
    add_clients(world, 30)
    response = owner_client.get(URL, {"page": "2"})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"]) == 32 - 25
    assert owner_client.get(URL, {"page": "x"}).status_code == 200


def test_an_individual_client_shows_its_kind(owner_client: HttpClient, world: World) -> None:
    Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name="Yksilö Ykkönen"
    )
    response = owner_client.get(URL, {"q": "Ykkönen"})
    [listed] = response.context["page_obj"]
    assert listed.get_kind_display() in row_of(response.content.decode(), "Yksilö Ykkönen")

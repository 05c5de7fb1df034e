"""The client's page and editing the client's details."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse

from tests.factories import World, make_organisation
from tila.clients.models import Client, ClientKind, Person
from tila.contracts.models import Contract


def page_url(client: Client) -> str:
    return reverse("client", args=[client.uuid])


def edit_url(client: Client) -> str:
    return reverse("edit_client", args=[client.uuid])


def url_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("persona", ["owner_client", "assistant_client", "colleague_client"])
def test_the_client_page_shows_details_and_members(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    http: HttpClient = request.getfixturevalue(persona)
    response = http.get(page_url(world.client))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.client.name in body
    assert world.organisation.name in body
    for member in world.client.current_members():
        assert member.person.name in body
        assert reverse("end_client_membership", args=[member.uuid]) in body
    assert reverse("add_client_member", args=[world.client.uuid]) in body
    assert 'class="privacy"' in body


def test_the_page_lists_the_clients_contracts_with_links(
    owner_client: HttpClient, world: World
) -> None:
    body = owner_client.get(page_url(world.client)).content.decode()
    assert world.contract.title in body
    contract_url = url_or_none("contract", world.contract.uuid)
    if contract_url:  # the contract page is built in the contracts app
        assert f'href="{contract_url}"' in body
    new_contract_url = url_or_none("new_contract")
    if new_contract_url:
        assert f'href="{new_contract_url}?client={world.client.uuid}"' in body


def test_a_supervisor_sees_only_her_own_contracts_on_the_page(
    colleague_client: HttpClient, world: World
) -> None:
    response = colleague_client.get(page_url(world.client))
    assert list(response.context["contracts"]) == []
    assert world.contract.title not in response.content.decode()
    own = world.colleague_contract
    response = colleague_client.get(page_url(own.client))
    assert list(response.context["contracts"]) == [own]


def test_another_practices_client_is_not_found(owner_client: HttpClient, world: World) -> None:
    other = world.other_client
    assert owner_client.get(page_url(other)).status_code == 404
    assert owner_client.get(edit_url(other)).status_code == 404
    response = owner_client.post(edit_url(other), {"kind": "team", "name": "Kaapattu"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "Kaapattu"


def test_practice_b_cannot_open_practice_as_client(other_client: HttpClient, world: World) -> None:
    assert other_client.get(page_url(world.client)).status_code == 404
    assert other_client.get(edit_url(world.client)).status_code == 404


def test_the_clients_details_are_edited(owner_client: HttpClient, world: World) -> None:
    second = make_organisation(world.practice, "Pirkanmaan hyvinvointialue")
    response = owner_client.post(
        edit_url(world.client),
        {
            "kind": ClientKind.COMMUNITY,
            "name": "Päiväkoti Kuusela",
            "organisation": second.pk,
            "description": "Koko työyhteisö.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(world.client)
    world.client.refresh_from_db()
    assert world.client.kind == ClientKind.COMMUNITY
    assert world.client.name == "Päiväkoti Kuusela"
    assert world.client.organisation == second
    assert world.client.description == "Koko työyhteisö."


def test_the_edit_form_shows_the_current_values(owner_client: HttpClient, world: World) -> None:
    body = owner_client.get(edit_url(world.client)).content.decode()
    assert f'value="{world.client.name}"' in body
    assert f'<option value="{world.organisation.pk}" selected>' in body


def test_an_overlong_name_is_refused_when_editing(owner_client: HttpClient, world: World) -> None:
    old = world.client.name
    response = owner_client.post(
        edit_url(world.client),
        {"kind": ClientKind.TEAM, "name": "x" * 10_000, "organisation": "", "description": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    world.client.refresh_from_db()
    assert world.client.name == old


def test_another_practices_organisation_cannot_be_chosen(
    owner_client: HttpClient, world: World
) -> None:
    response = owner_client.post(
        edit_url(world.client),
        {"kind": ClientKind.TEAM, "name": "Oravat", "organisation": world.other_organisation.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    world.client.refresh_from_db()
    assert world.client.organisation == world.organisation


def test_a_group_with_several_members_cannot_become_an_individual(
    owner_client: HttpClient, world: World
) -> None:
    response = owner_client.post(
        edit_url(world.client),
        {"kind": ClientKind.INDIVIDUAL, "name": world.client.name, "organisation": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    world.client.refresh_from_db()
    assert world.client.kind == ClientKind.TEAM


def test_a_client_without_contracts_says_so(owner_client: HttpClient, world: World) -> None:
    lone = Client.objects.create(practice=world.practice, kind=ClientKind.INDIVIDUAL, name="Yksin")
    response = owner_client.get(page_url(lone))
    assert response.status_code == 200
    assert list(response.context["contracts"]) == []
    assert not Contract.objects.filter(client=lone).exists()
    assert not Person.objects.filter(memberships__client=lone).exists()

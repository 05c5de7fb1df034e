"""Creating a client with its members in one form."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World
from tila.clients.models import Client, ClientKind, ClientMember, Person

URL = reverse("new_client")

MEMBERS = [
    ("Aino Ahola", "aino@example.test", "lastentarhanopettaja", "040 123 4567"),
    ("Bert Berg", "bert@example.test", "lastenhoitaja", ""),
    ("Cecilia Carlsson", "", "varhaiskasvatuksen opettaja", ""),
    ("Diana Dahl", "diana@example.test", "", "050 765 4321"),
    ("Eero Eskola", "eero@example.test", "sosionomi", ""),
]


def client_data(
    world: World,
    members: list[tuple[str, str, str, str]],
    total: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The POST body of the new client form, with ``total`` member rows."""
    total = max(total or 0, len(members))
    data: dict[str, Any] = {
        "kind": ClientKind.TEAM,
        "name": "Päiväkoti Koivu, Karhut",
        "organisation": world.organisation.pk,
        "description": "",
        "members-TOTAL_FORMS": str(total),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "100",
    }
    for index in range(total):
        name, email, title, phone = members[index] if index < len(members) else ("", "", "", "")
        data[f"members-{index}-name"] = name
        data[f"members-{index}-email"] = email
        data[f"members-{index}-title"] = title
        data[f"members-{index}-phone"] = phone
    data.update(fields)
    return data


def test_the_form_shows_five_member_rows_and_an_add_row_button(owner_client: HttpClient) -> None:
    response = owner_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="members-4-name"' in body
    assert 'name="members-5-name"' not in body
    assert 'data-add-row="members"' in body
    assert 'id="members-empty"' in body
    assert 'id="members-rows"' in body


def test_an_individual_client_starts_with_one_member_row(owner_client: HttpClient) -> None:
    body = owner_client.get(URL, {"kind": "individual"}).content.decode()
    assert 'name="members-0-name"' in body
    assert 'name="members-1-name"' not in body


def test_more_rows_can_be_asked_for_without_javascript(owner_client: HttpClient) -> None:
    body = owner_client.get(URL, {"rows": "15"}).content.decode()
    assert 'name="members-14-name"' in body
    assert 'name="members-15-name"' not in body


def test_a_malformed_row_count_gives_the_default_rows(owner_client: HttpClient) -> None:
    for rows in ["²", "9" * 5000, "-3", "abc"]:
        body = owner_client.get(URL, {"rows": rows}).content.decode()
        assert 'name="members-4-name"' in body


def test_the_organisation_in_the_address_is_preselected(
    owner_client: HttpClient, world: World
) -> None:
    response = owner_client.get(URL, {"organisation": str(world.organisation.uuid)})
    assert response.status_code == 200
    assert f'<option value="{world.organisation.pk}" selected>' in response.content.decode()


def test_another_practices_organisation_in_the_address_is_not_found(
    owner_client: HttpClient, world: World
) -> None:
    response = owner_client.get(URL, {"organisation": str(world.other_organisation.uuid)})
    assert response.status_code == 404


def test_a_malformed_organisation_in_the_address_is_ignored(owner_client: HttpClient) -> None:
    assert owner_client.get(URL, {"organisation": "not-a-uuid"}).status_code == 200


def test_only_the_practices_organisations_are_offered(
    owner_client: HttpClient, world: World
) -> None:
    body = owner_client.get(URL).content.decode()
    assert world.organisation.name in body
    assert world.other_organisation.name not in body


@pytest.mark.parametrize("persona", ["owner_client", "assistant_client", "colleague_client"])
def test_a_team_client_is_created_with_five_members(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    http: HttpClient = request.getfixturevalue(persona)
    response = http.post(URL, client_data(world, MEMBERS, total=8))

    new = Client.objects.get(name="Päiväkoti Koivu, Karhut")
    assert response.status_code == 302
    assert response["Location"] == reverse("client", args=[new.uuid])
    assert new.practice == world.practice
    assert new.kind == ClientKind.TEAM
    assert new.organisation == world.organisation
    members = list(new.current_members())
    assert [m.person.name for m in members] == [m[0] for m in MEMBERS]
    aino = members[0].person
    assert (aino.email, aino.title, aino.phone) == MEMBERS[0][1:]
    assert all(m.person.practice == world.practice for m in members)

    page = http.get(response["Location"])
    for name, *_ in MEMBERS:
        assert name in page.content.decode()


def test_a_client_may_have_no_orderer(owner_client: HttpClient, world: World) -> None:
    response = owner_client.post(URL, client_data(world, MEMBERS[:2], organisation=""))
    assert response.status_code == 302
    assert Client.objects.get(name="Päiväkoti Koivu, Karhut").organisation is None


def test_an_individual_client_is_created_with_one_member(
    owner_client: HttpClient, world: World
) -> None:
    data = client_data(world, MEMBERS[:1], total=3, kind=ClientKind.INDIVIDUAL, name="Aino Ahola")
    response = owner_client.post(URL, data)
    assert response.status_code == 302
    new = Client.objects.get(name="Aino Ahola")
    assert [m.person.name for m in new.current_members()] == ["Aino Ahola"]


def assert_nothing_saved(before: tuple[int, int, int]) -> None:
    assert (Client.objects.count(), Person.objects.count(), ClientMember.objects.count()) == before


def counts() -> tuple[int, int, int]:
    return Client.objects.count(), Person.objects.count(), ClientMember.objects.count()


def test_an_overlong_client_name_is_refused_with_a_message(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    response = owner_client.post(URL, client_data(world, MEMBERS, name="x" * 10_000))
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert "200" in response.context["form"].errors["name"][0]
    assert_nothing_saved(before)


def test_an_overlong_member_name_is_refused_with_a_message(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    rows = [*MEMBERS[:2], ("y" * 10_000, "", "", "")]
    response = owner_client.post(URL, client_data(world, rows))
    assert response.status_code == 200
    assert response.context["members"].errors[2]["name"]
    assert_nothing_saved(before)


def test_an_individual_client_with_two_members_is_refused(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    data = client_data(world, MEMBERS[:2], kind=ClientKind.INDIVIDUAL, name="Aino Ahola")
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert "täsmälleen yksi jäsen" in str(response.context["form"].errors["kind"])
    assert_nothing_saved(before)


def test_an_individual_client_without_a_member_is_refused(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    data = client_data(world, [], total=2, kind=ClientKind.INDIVIDUAL, name="Aino Ahola")
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert_nothing_saved(before)


def test_an_invalid_member_email_re_renders_the_rows_with_the_error(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    rows = [*MEMBERS[:3], ("Diana Dahl", "diana(at)example", "", "")]
    response = owner_client.post(URL, client_data(world, rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["members"].errors[3]["email"]
    assert 'id="id_members-3-email_error"' in body
    # What was typed is still there.
    assert 'value="Aino Ahola"' in body
    assert 'value="diana(at)example"' in body
    assert_nothing_saved(before)


def test_a_member_row_without_a_name_is_refused(owner_client: HttpClient, world: World) -> None:
    before = counts()
    rows = [*MEMBERS[:2], ("", "nimeton@example.test", "", "")]
    response = owner_client.post(URL, client_data(world, rows))
    assert response.status_code == 200
    assert response.context["members"].errors[2]["name"]
    assert_nothing_saved(before)


def test_the_same_email_twice_is_refused(owner_client: HttpClient, world: World) -> None:
    before = counts()
    rows = [*MEMBERS[:2], ("Aino Toinen", "AINO@example.test", "", "")]
    response = owner_client.post(URL, client_data(world, rows))
    assert response.status_code == 200
    assert response.context["members"].non_form_errors()
    assert_nothing_saved(before)


def test_another_practices_organisation_cannot_be_posted(
    owner_client: HttpClient, world: World
) -> None:
    before = counts()
    data = client_data(world, MEMBERS, organisation=world.other_organisation.pk)
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert_nothing_saved(before)


def test_too_many_member_rows_are_refused(owner_client: HttpClient, world: World) -> None:
    before = counts()
    rows = [(f"Jäsen {i}", "", "", "") for i in range(101)]
    response = owner_client.post(URL, client_data(world, rows))
    assert response.status_code == 200
    assert response.context["members"].non_form_errors()
    assert_nothing_saved(before)


def test_an_unknown_kind_is_refused(owner_client: HttpClient, world: World) -> None:
    before = counts()
    response = owner_client.post(URL, client_data(world, MEMBERS, kind="family"))
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert_nothing_saved(before)


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(world: World) -> None:
    response = HttpClient().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

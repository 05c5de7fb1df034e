"""Membership history: members join and leave, and the history is kept."""

from datetime import date

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World
from tila.clients.models import Client, ClientKind, ClientMember, Person

TODAY = date(2026, 10, 15)


def add_url(client: Client) -> str:
    return reverse("add_client_member", args=[client.uuid])


def leave_url(member: ClientMember) -> str:
    return reverse("end_client_membership", args=[member.uuid])


def first_member(world: World) -> ClientMember:
    member = world.client.current_members().first()
    assert member is not None
    return member


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_member_leaving_keeps_the_history(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    response = owner_client.post(leave_url(member), {"left_on": "2026-10-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("client", args=[world.client.uuid])

    member.refresh_from_db()
    assert member.left_on == date(2026, 10, 1)
    assert member.joined_on == date(2026, 1, 1)
    assert world.client.members.count() == 5
    assert world.client.current_members().count() == 4

    page = owner_client.get(response["Location"])
    assert [m.uuid for m in page.context["former_members"]] == [member.uuid]
    assert member.uuid not in [m.uuid for m in page.context["current_members"]]
    body = page.content.decode()
    assert "1.1.2026" in body
    assert "1.10.2026" in body


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_member_leaves_today_when_no_date_is_given(
    assistant_client: HttpClient, world: World
) -> None:
    member = first_member(world)
    assert assistant_client.post(leave_url(member), {}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == TODAY


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_member_cannot_leave_before_joining(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    response = owner_client.post(leave_url(member), {"left_on": "2025-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"]
    assert "1.1.2026" in response.content.decode()
    member.refresh_from_db()
    assert member.left_on is None


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_leaving_date_in_the_future_is_refused(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    response = owner_client.post(leave_url(member), {"left_on": "2026-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"]
    member.refresh_from_db()
    assert member.left_on is None


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_member_who_left_cannot_leave_again(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    owner_client.post(leave_url(member), {"left_on": "2026-10-01"})
    response = owner_client.post(leave_url(member), {"left_on": "2026-10-10"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.left_on == date(2026, 10, 1)


def test_a_malformed_leaving_date_is_refused(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    response = owner_client.post(leave_url(member), {"left_on": "31.2.2026x"})
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"]
    member.refresh_from_db()
    assert member.left_on is None


def test_leaving_takes_a_post_only(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    assert owner_client.get(leave_url(member)).status_code == 405
    member.refresh_from_db()
    assert member.left_on is None


def test_another_practices_member_is_not_found(owner_client: HttpClient, world: World) -> None:
    member = world.other_client.current_members().first()
    assert member is not None
    assert owner_client.post(leave_url(member), {"left_on": "2026-10-01"}).status_code == 404
    member.refresh_from_db()
    assert member.left_on is None


def test_practice_b_cannot_end_practice_as_memberships(
    other_client: HttpClient, world: World
) -> None:
    member = first_member(world)
    assert other_client.post(leave_url(member), {}).status_code == 404
    member.refresh_from_db()
    assert member.left_on is None


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_the_add_form_proposes_today(owner_client: HttpClient, world: World) -> None:
    response = owner_client.get(add_url(world.client))
    assert response.status_code == 200
    assert 'value="2026-10-15"' in response.content.decode()


@pytest.mark.parametrize("persona", ["owner_client", "assistant_client", "colleague_client"])
def test_a_new_person_joins_on_a_date(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    http: HttpClient = request.getfixturevalue(persona)
    response = http.post(
        add_url(world.client),
        {"name": "Fanni Fagerström", "email": "fanni@example.test", "joined_on": "2026-11-01"},
    )
    assert response.status_code == 302
    member = world.client.members.get(person__name="Fanni Fagerström")
    assert member.joined_on == date(2026, 11, 1)
    assert member.left_on is None
    assert member.person.practice == world.practice
    assert member.person.email == "fanni@example.test"


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_former_member_rejoins_as_the_same_person(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    people = Person.objects.count()
    owner_client.post(leave_url(member), {"left_on": "2026-03-01"})
    response = owner_client.post(
        add_url(world.client), {"person": member.person.pk, "joined_on": "2026-09-01"}
    )
    assert response.status_code == 302
    history = list(member.person.memberships.order_by("joined_on"))
    assert [(m.joined_on, m.left_on) for m in history] == [
        (date(2026, 1, 1), date(2026, 3, 1)),
        (date(2026, 9, 1), None),
    ]
    assert Person.objects.count() == people


@time_machine.travel("2026-10-15 12:00 +03:00", tick=False)
def test_a_rejoining_cannot_overlap_the_earlier_membership(
    owner_client: HttpClient, world: World
) -> None:
    member = first_member(world)
    owner_client.post(leave_url(member), {"left_on": "2026-03-01"})
    response = owner_client.post(
        add_url(world.client), {"person": member.person.pk, "joined_on": "2026-02-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["joined_on"]
    assert member.person.memberships.count() == 1


def test_a_current_member_is_not_offered_again(owner_client: HttpClient, world: World) -> None:
    member = first_member(world)
    response = owner_client.post(
        add_url(world.client), {"person": member.person.pk, "joined_on": "2026-09-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert member.person.memberships.count() == 1


def test_another_practices_person_cannot_be_added(owner_client: HttpClient, world: World) -> None:
    stranger = world.other_client.current_members().first()
    assert stranger is not None
    response = owner_client.post(
        add_url(world.client), {"person": stranger.person.pk, "joined_on": "2026-09-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert not world.client.members.filter(person=stranger.person).exists()


def test_a_new_member_needs_a_name(owner_client: HttpClient, world: World) -> None:
    before = ClientMember.objects.count()
    response = owner_client.post(
        add_url(world.client), {"email": "nimeton@example.test", "joined_on": "2026-09-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ClientMember.objects.count() == before


def test_an_overlong_name_and_a_bad_email_are_refused(
    owner_client: HttpClient, world: World
) -> None:
    before = Person.objects.count()
    response = owner_client.post(
        add_url(world.client),
        {"name": "x" * 10_000, "email": "not an email", "joined_on": "2026-09-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "email"}
    assert Person.objects.count() == before


def test_an_existing_person_and_new_details_together_are_refused(
    owner_client: HttpClient, world: World
) -> None:
    member = first_member(world)
    ClientMember.objects.filter(pk=member.pk).update(left_on=date(2026, 3, 1))
    response = owner_client.post(
        add_url(world.client),
        {"person": member.person.pk, "name": "Joku Muu", "joined_on": "2026-09-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_an_individual_client_takes_no_second_member(
    owner_client: HttpClient, world: World
) -> None:
    single = Client.objects.create(practice=world.practice, kind=ClientKind.INDIVIDUAL, name="Ykä")
    person = Person.objects.create(practice=world.practice, name="Ykä Yksilö")
    ClientMember.objects.create(client=single, person=person)
    response = owner_client.post(add_url(single), {"name": "Toka", "joined_on": "2026-09-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert single.members.count() == 1


def test_members_cannot_be_added_to_another_practices_client(
    owner_client: HttpClient, world: World
) -> None:
    url = add_url(world.other_client)
    assert owner_client.get(url).status_code == 404
    response = owner_client.post(url, {"name": "Soluttautuja", "joined_on": "2026-09-01"})
    assert response.status_code == 404
    assert not Person.objects.filter(name="Soluttautuja").exists()

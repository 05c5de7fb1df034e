"""People's details are personal data: each read of a client's member list and each change of
a person's or a contact person's details writes one row to the audit log."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World
from tila.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def events(object_type: str) -> list[tuple[str, str, str, dict[str, object]]]:
    return [
        (event.actor_label, event.action, event.object_id, event.detail)
        for event in AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    ]


def test_reading_a_clients_page_is_one_read_of_its_members_profiles(
    owner_client: HttpClient, world: World
) -> None:
    assert owner_client.get(reverse("client", args=[world.client.uuid])).status_code == 200
    assert events("clients.Client") == [
        ("anna@example.test", Action.READ, str(world.client.uuid), {"people": 5})
    ]


def test_another_practices_client_is_not_read_and_the_refusal_is_logged(
    owner_client: HttpClient, world: World
) -> None:
    response = owner_client.get(reverse("client", args=[world.other_client.uuid]))
    assert response.status_code == 404
    assert events("clients.Client") == []
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == 1


def test_a_member_joining_and_leaving_is_logged(owner_client: HttpClient, world: World) -> None:
    response = owner_client.post(
        reverse("add_client_member", args=[world.client.uuid]),
        {"name": "Uusi Jäsen", "email": "uusi@example.test", "joined_on": "2026-10-01"},
    )
    assert response.status_code == 302
    member = world.client.members.get(person__name="Uusi Jäsen")
    owner_client.post(
        reverse("end_client_membership", args=[member.uuid]), {"left_on": "2026-11-01"}
    )
    person = str(member.person.uuid)
    assert events("clients.Person") == [
        ("anna@example.test", Action.CREATE, person, {"joined": True}),
        ("anna@example.test", Action.UPDATE, person, {"left": True}),
    ]


def test_a_contact_persons_details_added_and_changed_are_logged(
    owner_client: HttpClient, world: World
) -> None:
    details = {"name": "Kalle Kontakti", "role": "", "email": "kalle@example.test", "phone": ""}
    owner_client.post(reverse("new_contact", args=[world.organisation.uuid]), details)
    contact = world.organisation.contacts.get(name="Kalle Kontakti")
    owner_client.post(reverse("edit_contact", args=[contact.uuid]), {**details, "phone": "040 1"})
    assert [event[:3] for event in events("clients.Contact")] == [
        ("anna@example.test", Action.CREATE, str(contact.uuid)),
        ("anna@example.test", Action.UPDATE, str(contact.uuid)),
    ]

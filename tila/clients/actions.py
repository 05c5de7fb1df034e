"""State changes of clients and their membership history.

Each function is one transaction: either everything it describes happens, or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from tila.clients.models import Client, ClientMember, Organisation, Person
from tila.practices.models import Practice


@dataclass(frozen=True)
class NewPerson:
    """A supervisee who does not exist in the practice yet."""

    name: str
    email: str = ""
    title: str = ""
    phone: str = ""


def create_person(*, practice: Practice, details: NewPerson) -> Person:
    return Person.objects.create(
        practice=practice,
        name=details.name,
        email=details.email,
        title=details.title,
        phone=details.phone,
    )


def create_client(
    *,
    practice: Practice,
    kind: str,
    name: str,
    organisation: Organisation | None = None,
    description: str = "",
    members: Sequence[NewPerson] = (),
    joined_on: date | None = None,
) -> Client:
    """Create a client and a new person and membership for each of ``members``."""
    joined_on = joined_on or timezone.localdate()
    with transaction.atomic():
        client = Client.objects.create(
            practice=practice,
            kind=kind,
            name=name,
            organisation=organisation,
            description=description,
        )
        for details in members:
            person = create_person(practice=practice, details=details)
            ClientMember.objects.create(client=client, person=person, joined_on=joined_on)
    return client


def add_member(
    *,
    client: Client,
    person: Person | None = None,
    new_person: NewPerson | None = None,
    joined_on: date | None = None,
) -> ClientMember:
    """Add an existing person of the practice, or a new one, to the client from ``joined_on``."""
    if (person is None) == (new_person is None):
        raise ValueError("Give either person or new_person.")
    with transaction.atomic():
        if new_person is not None:
            person = create_person(practice=client.practice, details=new_person)
        elif person is None or person.practice_id != client.practice_id:
            raise ValueError("The person must belong to the client's practice.")
        return ClientMember.objects.create(
            client=client, person=person, joined_on=joined_on or timezone.localdate()
        )


def end_membership(*, member: ClientMember, left_on: date | None = None) -> ClientMember:
    """The member leaves the client on ``left_on``; the row stays as membership history."""
    left_on = left_on or timezone.localdate()
    if member.left_on is not None:
        raise ValueError("The membership has already ended.")
    if left_on < member.joined_on:
        raise ValueError("A member cannot leave before joining.")
    with transaction.atomic():
        member.left_on = left_on
        member.save(update_fields=["left_on"])
    return member

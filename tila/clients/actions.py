"""State changes of clients and their membership history.

Each function is one transaction: either everything it describes happens, or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from tila.accounts.models import User
from tila.audit.actions import DetailValue, record_event
from tila.audit.models import Action
from tila.clients.models import Client, ClientMember, Contact, Organisation, Person
from tila.practices.models import Practice


def _audit(
    practice: Practice,
    actor: User | None,
    object_type: str,
    object_id: object,
    action: str,
    **detail: DetailValue,
) -> None:
    """People's details are personal data: every read and change of them is logged."""
    record_event(
        actor=actor,
        practice=practice,
        object_type=object_type,
        object_id=str(object_id),
        action=action,
        detail=detail,
    )


def read_client(*, client: Client, actor: User, people: int) -> None:
    """The client's page shows its members' details: one read of ``people`` profiles."""
    _audit(client.practice, actor, "clients.Client", client.uuid, Action.READ, people=people)


def save_contact(*, contact: Contact, actor: User) -> Contact:
    """Save a contact person's details (new or changed) and log it."""
    with transaction.atomic():
        created = contact.pk is None
        contact.save()
        _audit(
            contact.organisation.practice,
            actor,
            "clients.Contact",
            contact.uuid,
            Action.CREATE if created else Action.UPDATE,
        )
    return contact


@dataclass(frozen=True)
class NewPerson:
    """A supervisee who does not exist in the practice yet."""

    name: str
    email: str = ""
    title: str = ""
    phone: str = ""
    language: str = "fi"


def create_person(*, practice: Practice, details: NewPerson) -> Person:
    return Person.objects.create(
        practice=practice,
        name=details.name,
        email=details.email,
        title=details.title,
        phone=details.phone,
        language=details.language,
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
    actor: User | None = None,
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
            _audit(practice, actor, "clients.Person", person.uuid, Action.CREATE)
    return client


def add_member(
    *,
    client: Client,
    person: Person | None = None,
    new_person: NewPerson | None = None,
    joined_on: date | None = None,
    actor: User | None = None,
) -> ClientMember:
    """Add an existing person of the practice, or a new one, to the client from ``joined_on``."""
    if (person is None) == (new_person is None):
        raise ValueError("Give either person or new_person.")
    with transaction.atomic():
        if new_person is not None:
            person = create_person(practice=client.practice, details=new_person)
        elif person is None or person.practice_id != client.practice_id:
            raise ValueError("The person must belong to the client's practice.")
        member = ClientMember.objects.create(
            client=client, person=person, joined_on=joined_on or timezone.localdate()
        )
        action = Action.CREATE if new_person is not None else Action.UPDATE
        _audit(client.practice, actor, "clients.Person", person.uuid, action, joined=True)
    return member


def end_membership(
    *, member: ClientMember, left_on: date | None = None, actor: User | None = None
) -> ClientMember:
    """The member leaves the client on ``left_on``; the row stays as membership history."""
    left_on = left_on or timezone.localdate()
    if member.left_on is not None:
        raise ValueError("The membership has already ended.")
    if left_on < member.joined_on:
        raise ValueError("A member cannot leave before joining.")
    with transaction.atomic():
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        _audit(
            member.client.practice,
            actor,
            "clients.Person",
            member.person.uuid,
            Action.UPDATE,
            left=True,
        )
    return member

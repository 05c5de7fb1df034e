"""Access helpers for organisations, contacts, clients and people.

Each returns the object only if it belongs to the requesting member's practice, and
raises Http404 otherwise: another practice's data does not exist for this user."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.clients.models import Client, ClientMember, Contact, Organisation, Person
from tila.practices.models import Membership


def access_organisation(membership: Membership, organisation_uuid: UUID) -> Organisation:
    return get_object_or_404(
        Organisation.objects.in_practice(membership.practice), uuid=organisation_uuid
    )


def access_contact(membership: Membership, contact_uuid: UUID) -> Contact:
    return get_object_or_404(
        Contact.objects.select_related("organisation").filter(
            organisation__practice=membership.practice
        ),
        uuid=contact_uuid,
    )


def access_client(membership: Membership, client_uuid: UUID) -> Client:
    return get_object_or_404(
        Client.objects.in_practice(membership.practice).select_related("organisation"),
        uuid=client_uuid,
    )


def access_person(membership: Membership, person_uuid: UUID) -> Person:
    return get_object_or_404(Person.objects.in_practice(membership.practice), uuid=person_uuid)


def access_client_member(membership: Membership, member_uuid: UUID) -> ClientMember:
    return get_object_or_404(
        ClientMember.objects.select_related("client", "person").filter(
            client__practice=membership.practice
        ),
        uuid=member_uuid,
    )

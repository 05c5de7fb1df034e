"""The doorway to the people whose data the practice holds.

A subject is a supervisee (``Person``) or an orderer's contact person (``Contact``) of the
member's practice, found by UUID; anything else is 404."""

from uuid import UUID

from django.http import Http404

from tila.clients.models import Contact, Person
from tila.practices.models import Membership

Subject = Person | Contact


def access_subject(membership: Membership, subject_uuid: UUID) -> Subject:
    person = Person.objects.in_practice(membership.practice).filter(uuid=subject_uuid).first()
    if person is not None:
        return person
    contact = (
        Contact.objects.filter(organisation__practice=membership.practice, uuid=subject_uuid)
        .select_related("organisation")
        .first()
    )
    if contact is not None:
        return contact
    raise Http404

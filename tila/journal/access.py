"""Access to journal entries: each is its author's alone.

A supervisee opens, changes, shares and deletes only her own entries, and shares them only
into coming meetings of the groups she belongs to now. Anything else is 404. The supervisor
reads shared entries on the meeting's notes page, behind ``tila.notes.access``."""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tila.clients.models import ClientMember, Person
from tila.contracts.models import Status
from tila.journal.models import JournalEntry
from tila.meetings.models import Meeting, MeetingQuerySet, MeetingStatus

CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


def access_own_entry(person: Person, entry_uuid: UUID) -> JournalEntry:
    """One of the person's own entries."""
    return get_object_or_404(
        JournalEntry.objects.filter(practice=person.practice, person=person).select_related(
            "practice", "shared_meeting", "shared_meeting__contract"
        ),
        uuid=entry_uuid,
    )


def meetings_to_share_into(person: Person) -> MeetingQuerySet:
    """Planned meetings that have not started, of current contracts of the groups the person
    is a member of now (and joined by the meeting's day), soonest first."""
    member_now = ClientMember.objects.filter(
        person=person,
        client_id=OuterRef("contract__client_id"),
        left_on__isnull=True,
        joined_on__lte=OuterRef("start__date"),
    )
    return (
        Meeting.objects.filter(
            practice=person.practice,
            contract__status__in=CURRENT_STATUSES,
            status=MeetingStatus.PLANNED,
            start__gt=timezone.now(),
        )
        .filter(Exists(member_now))
        .select_related("contract")
        .with_ordinal()
        .order_by("start", "pk")
    )


def access_meeting_to_share_into(person: Person, meeting_uuid: UUID) -> Meeting:
    return get_object_or_404(meetings_to_share_into(person), uuid=meeting_uuid)


def member_at_meeting() -> Q:
    """Entries whose author was a member of the meeting's group on the meeting's day: a
    share by someone who has since left does not reach the group's later meetings."""
    return Q(
        Exists(
            ClientMember.objects.filter(
                person_id=OuterRef("person_id"),
                client_id=OuterRef("shared_meeting__contract__client_id"),
                joined_on__lte=OuterRef("shared_meeting__start__date"),
            ).filter(
                Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("shared_meeting__start__date"))
            )
        )
    )

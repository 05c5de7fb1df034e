"""Access to topics from the supervisees' portal.

A supervisee sends topics only to meetings of the current contracts of the groups she now
belongs to, and withdraws only her own topics. Anything else is 404. (The supervisor reads
topics on the meeting's notes page, behind ``tila.notes.access``.)"""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.clients.models import Person
from tila.contracts.models import Status
from tila.meetings.models import Meeting
from tila.topics.models import Topic

# The contracts whose meetings the portal's home shows.
CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


def access_meeting_for_topics(person: Person, meeting_uuid: UUID) -> Meeting:
    """A meeting of a current contract of a group the person is a current member of."""
    return get_object_or_404(
        Meeting.objects.filter(
            practice=person.practice,
            contract__status__in=CURRENT_STATUSES,
            contract__client__members__person=person,
            contract__client__members__left_on__isnull=True,
        )
        .select_related("practice", "contract")
        .distinct(),
        uuid=meeting_uuid,
    )


def access_own_topic(person: Person, topic_uuid: UUID) -> Topic:
    """One of the person's own topics."""
    return get_object_or_404(
        Topic.objects.filter(practice=person.practice, person=person).select_related(
            "practice", "meeting"
        ),
        uuid=topic_uuid,
    )

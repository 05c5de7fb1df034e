"""Access helpers for scheduling polls: a poll is visible when its contract is.

Like the contract itself, a poll is read by whoever sees the contract (the owner and the
assistant see all of the practice's, a supervisor her own) and changed only by those who
supervise (403 for an assistant). In the portal, a supervisee sees the polls she was asked in
while she is a member of the group."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tila.clients.models import Person
from tila.contracts.access import require_supervising
from tila.contracts.models import Contract
from tila.practices.models import Membership
from tila.scheduling.models import PollInvitee, SchedulePoll


def access_poll(membership: Membership, poll_uuid: UUID) -> SchedulePoll:
    return get_object_or_404(
        SchedulePoll.objects.filter(
            practice=membership.practice,
            contract__in=Contract.objects.visible_to(membership),
        ).select_related("contract", "contract__client", "supervisor"),
        uuid=poll_uuid,
    )


def access_poll_to_change(membership: Membership, poll_uuid: UUID) -> SchedulePoll:
    poll = access_poll(membership, poll_uuid)
    require_supervising(membership)
    return poll


def portal_invitees(person: Person) -> QuerySet[PollInvitee]:
    """The person's places in polls of the clients she is a member of now."""
    return PollInvitee.objects.filter(
        member__person=person, member__left_on__isnull=True, poll__practice=person.practice
    )


def access_portal_invitee(person: Person, poll_uuid: UUID) -> PollInvitee:
    """The person's place in the poll; 404 when she was not asked or has left the group."""
    return get_object_or_404(
        portal_invitees(person).select_related(
            "poll", "poll__supervisor", "poll__practice", "member__person"
        ),
        poll__uuid=poll_uuid,
    )

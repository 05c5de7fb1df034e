"""Access helpers for scheduling polls: a poll is visible when its contract is.

Like the contract itself, a poll is read by whoever sees the contract (the owner and the
assistant see all of the practice's, a supervisor her own) and changed only by those who
supervise (403 for an assistant)."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.contracts.access import require_supervising
from tila.contracts.models import Contract
from tila.practices.models import Membership
from tila.scheduling.models import SchedulePoll


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

"""Access helpers for meetings: a meeting is visible when its contract is."""

from uuid import UUID

from django.db import models
from django.shortcuts import get_object_or_404

from tila.contracts.models import Contract
from tila.meetings.models import Absence, Meeting, MeetingQuerySet
from tila.practices.models import Membership


def visible_meetings(membership: Membership) -> MeetingQuerySet:
    """The meetings of the contracts the member may see (her own, for a supervisor)."""
    return Meeting.objects.filter(
        practice=membership.practice,
        contract__in=Contract.objects.visible_to(membership),
    )


def access_meeting(membership: Membership, meeting_uuid: UUID) -> Meeting:
    """The meeting with its contract, client and number ('N/M'); 404 when not visible."""
    return get_object_or_404(
        visible_meetings(membership)
        .select_related("contract", "contract__client", "contract__organisation", "supervisor")
        .with_ordinal(),
        uuid=meeting_uuid,
    )


def own_absences(membership: Membership) -> "models.QuerySet[Absence]":
    """The member's own absences recorded in this practice."""
    return Absence.objects.filter(practice=membership.practice, user=membership.user)


def access_absence(membership: Membership, absence_uuid: UUID) -> Absence:
    """One of the member's own absences; anyone else's is a 404."""
    return get_object_or_404(own_absences(membership), uuid=absence_uuid)

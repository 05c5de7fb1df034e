"""The doorway to the supervisees' portal.

Only a user with a supervisee account gets in; everyone else (supervisors, assistants,
orderer contacts) gets 404: the portal does not exist for them."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tila.accounts.models import User
from tila.clients.models import ClientMember, Person
from tila.contracts.models import Contract, Status
from tila.meetings.models import Meeting, MeetingQuerySet
from tila.portal.models import SuperviseeAccount

View = TypeVar("View", bound=Callable[..., HttpResponse])

# The contracts whose meetings the portal's home shows.
CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


class SuperviseeRequest(HttpRequest):
    """A request from a supervisee; ``supervisee`` is set by ``supervisee_required``."""

    user: User
    supervisee: Person


def supervisee_required(view: View) -> View:
    """Log in, then require a supervisee account; sets ``request.supervisee`` (the Person)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not isinstance(request.user, User):
            raise Http404
        account = (
            SuperviseeAccount.objects.select_related("person", "person__practice")
            .filter(user=request.user)
            .first()
        )
        if account is None:
            raise Http404
        request.supervisee = account.person  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return login_required(wrapper)  # type: ignore[return-value]


def access_portal_contract(person: Person, contract_uuid: UUID) -> Contract:
    """A contract of a client the person is or was a member of (drafts are not shown)."""
    return get_object_or_404(
        Contract.objects.filter(practice=person.practice, client__members__person=person)
        .exclude(status=Status.DRAFT)
        .select_related("client")
        .distinct(),
        uuid=contract_uuid,
    )


def membership_periods(person: Person, contract: Contract) -> Q:
    """Meetings held while the person was a member of the contract's client.

    Matches nothing if she never was (a guard, as the access helper already checks)."""
    periods = Q(pk__in=[])
    for member in ClientMember.objects.filter(client_id=contract.client_id, person=person):
        period = Q(start__date__gte=member.joined_on)
        if member.left_on is not None:
            period &= Q(start__date__lte=member.left_on)
        periods |= period
    return periods


def since_joining(person: Person) -> Q:
    """Meetings of the person's current groups since she joined: earlier ones are not hers."""
    periods = Q(pk__in=[])
    for member in ClientMember.objects.filter(person=person, left_on__isnull=True):
        periods |= Q(contract__client_id=member.client_id, start__date__gte=member.joined_on)
    return periods


def coming_meetings(person: Person) -> MeetingQuerySet:
    """Meetings from now on of the current contracts of the groups the person belongs to now,
    since she joined, cancelled ones included, soonest first: the portal's "upcoming"."""
    return (
        Meeting.objects.filter(
            practice=person.practice,
            contract__status__in=CURRENT_STATUSES,
            contract__client__members__person=person,
            contract__client__members__left_on__isnull=True,
            start__gte=timezone.now(),
        )
        .filter(since_joining(person))
        .select_related("contract", "contract__client")
        .with_ordinal()
        .distinct()
        .order_by("start", "pk")
    )


def access_portal_meeting(person: Person, meeting_uuid: UUID) -> Meeting:
    """A meeting of the person's group held (or planned) while she is or was a member."""
    meeting = get_object_or_404(
        Meeting.objects.filter(practice=person.practice, contract__client__members__person=person)
        .exclude(contract__status=Status.DRAFT)
        .select_related("contract", "contract__client")
        .with_ordinal()
        .distinct(),
        uuid=meeting_uuid,
    )
    within = Meeting.objects.filter(pk=meeting.pk).filter(
        membership_periods(person, meeting.contract)
    )
    if not within.exists():
        raise Http404
    return meeting


def access_coming_meeting(person: Person, meeting_uuid: UUID) -> Meeting:
    """One of the person's coming meetings (see ``coming_meetings``): what she may cancel or
    be absent from."""
    return get_object_or_404(coming_meetings(person), uuid=meeting_uuid)


def current_member(person: Person, meeting: Meeting) -> ClientMember:
    """The person's current membership in the meeting's group."""
    return get_object_or_404(
        ClientMember, client_id=meeting.contract.client_id, person=person, left_on__isnull=True
    )


def feed_meetings(person: Person, *, past: timedelta, ahead: timedelta) -> MeetingQuerySet:
    """The meetings of the person's calendar subscription: those of the current contracts of
    the groups she belongs to now, since she joined, from ``past`` back to ``ahead``."""
    now = timezone.now()
    return (
        Meeting.objects.filter(
            practice=person.practice,
            contract__status__in=CURRENT_STATUSES,
            contract__client__members__person=person,
            contract__client__members__left_on__isnull=True,
            start__gte=now - past,
            start__lt=now + ahead,
        )
        .filter(since_joining(person))
        .select_related("contract", "contract__client")
        .with_ordinal()
        .distinct()
        .order_by("start", "pk")
    )

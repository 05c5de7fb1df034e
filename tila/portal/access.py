"""The doorway to the supervisees' portal.

Only a user with a supervisee account gets in; everyone else (supervisors, assistants,
orderer contacts) gets 404: the portal does not exist for them."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tila.accounts.models import User
from tila.clients.models import ClientMember, Person
from tila.contracts.models import Contract, Status
from tila.portal.models import SuperviseeAccount

View = TypeVar("View", bound=Callable[..., HttpResponse])


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

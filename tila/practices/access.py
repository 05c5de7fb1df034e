"""The doorway to a user's practice. Every view of the supervisor's side goes through it."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from tila.accounts.models import User
from tila.practices.models import Membership, Role

SESSION_KEY = "tila_practice"

View = TypeVar("View", bound=Callable[..., HttpResponse])


class PracticeRequest(HttpRequest):
    """A request from a member of a practice; ``membership`` is set by ``member_required``."""

    user: User
    membership: Membership
    htmx: HtmxDetails


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership the user works in: the one chosen in the session, else the first."""
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("practice", "user")
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        membership = memberships.filter(practice__uuid=chosen).first()
        if membership:
            return membership
    return memberships.order_by("created_at", "id").first()


def member_required(view: View) -> View:
    """Log in, then require membership of a practice; sets ``request.membership``.

    Someone who belongs to no practice (a supervisee, an orderer's contact) is refused: with
    a 404 where the URL names an object, so that nothing tells her it exists, else a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = current_membership(request)
        if membership is None:
            if args or kwargs:
                raise Http404
            raise PermissionDenied
        request.membership = membership  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return login_required(wrapper)  # type: ignore[return-value]


def owner_required(view: View) -> View:
    """Only the practice's owner may change the practice itself."""

    @wraps(view)
    def wrapper(request: PracticeRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.membership.role != Role.OWNER:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return member_required(wrapper)  # type: ignore[return-value]

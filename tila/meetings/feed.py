"""The private calendar subscription: a secret link per member that calendar programs poll.

Calendar programs cannot log in, so the link's token is the only key. Only its SHA-256 is
stored; an unknown or revoked token finds nothing. The feed holds the member's meetings from
30 days back to a year ahead. Titles are pseudonymous unless the member chose client names:
a calendar is often seen by others (a shared family calendar, a phone on the table)."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.clients.models import Client, ClientKind
from tila.meetings.access import visible_meetings
from tila.meetings.calendar import meetings_calendar, site_link, to_ics
from tila.meetings.models import CalendarFeed, Meeting, MeetingQuerySet
from tila.practices.models import Membership

PAST = timedelta(days=30)
AHEAD = timedelta(days=366)
# Letters for the pseudonyms: no look-alikes (I, O) and none that Finnish rarely uses.
LETTERS = "ABCDEFGHJKLMNPRSTUVY"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("membership__practice", "membership__user")
        .filter(token_hash=hash_feed_token(token))
        .first()
    )


def feed_meetings(membership: Membership) -> MeetingQuerySet:
    """The meetings the member supervises (an assistant: those she may see), near now."""
    now = timezone.now()
    meetings = Meeting.objects.filter(
        practice=membership.practice, start__gte=now - PAST, start__lt=now + AHEAD
    )
    if membership.supervises:
        mine = Meeting.objects.filter(
            Q(supervisor=membership.user) | Q(contract__supervisors=membership.user)
        )
        meetings = meetings.filter(pk__in=mine.values("pk"))
    else:
        meetings = meetings.filter(pk__in=visible_meetings(membership).values("pk"))
    return meetings.select_related("contract", "contract__client").order_by("start")


def pseudonym(client: Client) -> str:
    """A short label that stays the same for the client and tells nothing of its name."""
    digest = hashlib.sha256(client.uuid.bytes).digest()
    return "".join(LETTERS[byte % len(LETTERS)] for byte in digest[:2])


def client_word(client: Client) -> str:
    words = {
        ClientKind.INDIVIDUAL: _("client"),
        ClientKind.GROUP: _("group"),
        ClientKind.TEAM: _("team"),
        ClientKind.COMMUNITY: _("work community"),
    }
    return words.get(ClientKind(client.kind), _("client"))


def feed_summary(feed: CalendarFeed, meeting: Meeting) -> str:
    client = meeting.contract.client
    if feed.show_client_names:
        return _("Supervision · %(client)s") % {"client": client.name}
    return _("Supervision · %(kind)s %(label)s") % {
        "kind": client_word(client),
        "label": pseudonym(client),
    }


def feed_description(meeting: Meeting) -> str:
    return site_link(reverse("meeting", args=[meeting.uuid]))


def feed_ics(feed: CalendarFeed) -> bytes:
    calendar = meetings_calendar(
        feed_meetings(feed.membership),
        summary=lambda meeting: feed_summary(feed, meeting),
        description=feed_description,
        name=_("Tila: supervision"),
        # A place often names the client ("Päiväkoti Satakieli, neuvotteluhuone").
        with_place=feed.show_client_names,
    )
    return to_ics(calendar)

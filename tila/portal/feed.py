"""A supervisee's private calendar subscription: her own meetings, for her calendar program.

As for the supervisor's link (``tila.meetings.feed``), the token is the only key and only
its SHA-256 is stored. The titles say what the meeting is to her ("Työnohjaus 3/10") and
name no one; the place and the remote link are hers to know."""

from django.utils import translation
from django.utils.translation import gettext as _

from tila.meetings.calendar import meetings_calendar, to_ics
from tila.meetings.feed import AHEAD, PAST, hash_feed_token
from tila.portal.access import feed_meetings
from tila.portal.models import PortalCalendarFeed
from tila.portal.summaries import calendar_description, calendar_summary


def portal_feed_for_token(token: str) -> PortalCalendarFeed | None:
    """The subscription of an active supervisee's account, or None."""
    return (
        PortalCalendarFeed.objects.select_related("account__person__practice", "account__user")
        .filter(token_hash=hash_feed_token(token), account__user__is_active=True)
        .first()
    )


def portal_feed_ics(feed: PortalCalendarFeed) -> bytes:
    person = feed.account.person
    with translation.override(person.language or None):
        calendar = meetings_calendar(
            list(feed_meetings(person, past=PAST, ahead=AHEAD)),
            summary=calendar_summary,
            description=calendar_description,
            name=_("Work supervision"),
        )
        return to_ics(calendar)

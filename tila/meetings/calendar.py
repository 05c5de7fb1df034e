"""Meetings as iCalendar (RFC 5545) data, for calendar downloads and invitations.

Each meeting is one VEVENT whose UID (``<meeting uuid>@tila``) never changes, so a calendar
that imported it updates the same entry; ``SEQUENCE`` is the meeting's own counter, raised
whenever its time, place or status changes. Times are in Europe/Helsinki with a matching
VTIMEZONE. The caller decides what the SUMMARY and DESCRIPTION say: a calendar is often seen
by others, so the portal names no client and no person there."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tila.meetings.models import Meeting

PRODID = "-//Tila//Tila//FI"
HELSINKI = ZoneInfo("Europe/Helsinki")
YEAR = timedelta(days=366)


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uuid}@tila"


def meeting_place(meeting: Meeting) -> str:
    """The meeting's own place, or the contract's."""
    return meeting.place or meeting.contract.place


def meeting_link(meeting: Meeting) -> str:
    """The meeting's own remote link, or the contract's."""
    return meeting.remote_link or meeting.contract.remote_link


def meeting_event(
    meeting: Meeting,
    *,
    summary: str,
    description: str = "",
    stamp: datetime | None = None,
    with_place: bool = True,
) -> Event:
    """One VEVENT for the meeting. ``meeting.contract`` must be loaded."""
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", stamp or timezone.now())
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.start.astimezone(HELSINKI))
    event.add("dtend", meeting.end.astimezone(HELSINKI))
    event.add("summary", summary)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("last-modified", meeting.updated_at)
    place, link = meeting_place(meeting), meeting_link(meeting)
    if not with_place:
        place, link = "", ""
    if place or link:
        event.add("location", place or link)
    if link:
        event.add("url", link)
    if description:
        event.add("description", description)
    return event


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    summary: Callable[[Meeting], str],
    description: Callable[[Meeting], str] | None = None,
    method: str | None = None,
    name: str = "",
    with_place: bool = True,
) -> Calendar:
    """A VCALENDAR with one VEVENT per meeting and the VTIMEZONE they use.

    ``method`` is left out for a plain download; invitations pass ``REQUEST`` or ``CANCEL``
    (RFC 5546)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                summary=summary(meeting),
                description=description(meeting) if description else "",
                stamp=stamp,
                with_place=with_place,
            )
        )
    if meetings:
        # The VTIMEZONE lists the changes to and from summer time around the meetings only.
        calendar.add_missing_timezones(
            first_date=min(m.start for m in meetings).astimezone(HELSINKI).date() - YEAR,
            last_date=max(m.end for m in meetings).astimezone(HELSINKI).date() + YEAR,
        )
    return calendar


def to_ics(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def site_link(path: str) -> str:
    """An absolute link to a page of this Tila, for a DESCRIPTION."""
    return f"{settings.SITE_URL}{path}"

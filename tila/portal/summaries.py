"""What a supervisee's calendar says of a meeting: no client, no names (calendars are often
seen by others), only what the meeting is to her and where to find it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tila.meetings.calendar import site_link
from tila.meetings.models import Meeting


def calendar_summary(meeting: Meeting) -> str:
    """What a calendar shows: no client, no names (calendars are often seen by others)."""
    if meeting.number:
        summary = _("Work supervision %(number)s/%(count)s") % {
            "number": meeting.number,
            "count": meeting.contract.meeting_count,
        }
    else:
        summary = _("Work supervision")
    if meeting.is_cancelled:
        return _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def calendar_description(meeting: Meeting) -> str:
    lines = [_("Your supervision in Tila: %(link)s") % {"link": site_link(reverse("portal_home"))}]
    link = meeting.remote_link or meeting.contract.remote_link
    if link:
        lines.append(_("Remote meeting: %(link)s") % {"link": link})
    return "\n".join(lines)

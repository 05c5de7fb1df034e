"""Invitations, changes, cancellations and reminders of meetings by email.

Each participant gets a mail of her own in her own language: the client's current members
who have an email address and, when the contract says so, the orderer's contact person.
An invitation or a change carries one iCalendar attachment per meeting (``METHOD:REQUEST``,
a cancellation ``METHOD:CANCEL``) whose UID never changes and whose SEQUENCE is the
meeting's own counter, so a calendar program updates the entry it imported. The mail names
the supervisor and the practice, never the client or the other participants: each
attachment lists its recipient as the only attendee.

A member's mail carries a link of her own (a signed token, no login) through which she
cancels her individual meeting or reports her absence from her group's meeting."""

from dataclasses import dataclass
from email.mime.text import MIMEText
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import TextChoices
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import vCalAddress, vText

from tila.clients.models import ClientMember
from tila.lib.templatetags.tila import when
from tila.meetings.calendar import meeting_link, meeting_place, meetings_calendar, site_link
from tila.meetings.models import Meeting

LINK_SALT = "tila.meetings.invitation"


class Change(TextChoices):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Recipient:
    key: str  # "member:<uuid>" or "contact:<uuid>"
    name: str
    email: str
    language: str
    member: ClientMember | None = None


def recipients(meeting: Meeting) -> list[Recipient]:
    """Who hears of the meeting: the client's current members with an email address, and
    the orderer's contact person only when the contract says so."""
    contract = meeting.contract
    found = [
        Recipient(
            key=f"member:{member.uuid}",
            name=member.person.name,
            email=member.person.email,
            language=member.person.language,
            member=member,
        )
        for member in contract.client.current_members()
        if member.person.email
    ]
    contact = contract.orderer_contact
    if contract.invitations_to_orderer and contact is not None and contact.email:
        found.append(
            Recipient(
                key=f"contact:{contact.uuid}",
                name=contact.name,
                email=contact.email,
                language=settings.LANGUAGE_CODE,
            )
        )
    return found


def recipient(meeting: Meeting, key: str) -> Recipient | None:
    return next((found for found in recipients(meeting) if found.key == key), None)


# The participant's own link -------------------------------------------------------------


def cancel_token(meeting: Meeting, member: ClientMember) -> str:
    """The same token every time for one member's link to one meeting (no timestamp: the
    link stays valid until the meeting starts, which the action checks)."""
    return signing.Signer(salt=LINK_SALT).sign_object([str(meeting.uuid), str(member.uuid)])


def cancel_url(meeting: Meeting, member: ClientMember) -> str:
    return site_link(reverse("invitation_cancel", args=[cancel_token(meeting, member)]))


def read_cancel_token(token: str) -> tuple[Meeting, ClientMember]:
    """The meeting and the member the token was made for; Http404 for anything else."""
    try:
        meeting_uuid, member_uuid = signing.Signer(salt=LINK_SALT).unsign_object(token)
        meeting = Meeting.objects.select_related(
            "contract", "contract__client", "supervisor", "practice"
        ).get(uuid=meeting_uuid)
        member = ClientMember.objects.select_related("person").get(
            uuid=member_uuid, client_id=meeting.contract.client_id
        )
    except (signing.BadSignature, ValueError, TypeError, Meeting.DoesNotExist) as error:
        raise Http404 from error
    except ClientMember.DoesNotExist as error:
        raise Http404 from error
    return meeting, member


# The mail ------------------------------------------------------------------------------


def event_summary(meeting: Meeting) -> str:
    """The calendar entry's title: no client, no participants."""
    return _("Supervision · %(supervisor)s") % {"supervisor": meeting.supervisor.name}


def invitation_calendar(meeting: Meeting, to: Recipient) -> bytes:
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    calendar = meetings_calendar([meeting], summary=event_summary, method=method)
    supervisor = meeting.supervisor
    for event in calendar.walk("VEVENT"):
        organizer = vCalAddress(f"mailto:{supervisor.email}")
        organizer.params["cn"] = vText(supervisor.name)
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{to.email}")
        attendee.params["cn"] = vText(to.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    return bytes(calendar.to_ical())


def _attachment(meeting: Meeting, to: Recipient) -> MIMEText:
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    part = MIMEText(invitation_calendar(meeting, to).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    name = "cancel.ics" if meeting.is_cancelled else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=name)
    return part


def _subject(change: str, meetings: list[Meeting]) -> str:
    first = when(meetings[0].start)
    if change == Change.PLANNED and len(meetings) > 1:
        return _("Supervision meetings planned, the first %(when)s") % {"when": first}
    subjects = {
        Change.PLANNED: _("Supervision %(when)s"),
        Change.MOVED: _("Moved: supervision %(when)s"),
        Change.CANCELLED: _("Cancelled: supervision %(when)s"),
        Change.REMINDER: _("Reminder: supervision %(when)s"),
    }
    return subjects[Change(change)] % {"when": first}


def meeting_message(change: str, meetings: list[Meeting], to: Recipient) -> EmailMessage:
    """One participant's mail about one or more meetings of the same contract."""
    first = meetings[0]
    contract = first.contract
    with translation.override(to.language):
        rows = [
            {
                "meeting": meeting,
                "place": meeting_place(meeting),
                "link": meeting_link(meeting),
                "cancel_url": (
                    cancel_url(meeting, to.member)
                    if to.member is not None and not meeting.is_cancelled
                    else ""
                ),
            }
            for meeting in meetings
        ]
        context = {
            "change": change,
            "rows": rows,
            "to": to,
            "supervisor": first.supervisor,
            "practice": first.practice,
            "group": contract.client.is_group,
            "notice_hours": contract.cancellation_notice_hours,
            "late_percent": contract.late_cancellation_percent,
            "attached": change != Change.REMINDER,
        }
        subject = _subject(change, meetings)
        body = render_to_string("meetings/email/invitation.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[formataddr((to.name, to.email))],
        reply_to=[formataddr((first.supervisor.name, first.supervisor.email))],
    )
    if change != Change.REMINDER:
        for meeting in meetings:
            message.attach(_attachment(meeting, to))
    return message

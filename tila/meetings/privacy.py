"""The meetings a person took part in, and her attendance.

Erasing a person keeps the meetings and the attendance rows (under her pseudonymous
membership): they are the group's record, its attendance counts and the basis of billing.
In an individual client's meetings the reasons given for cancellations are about her alone,
and are erased."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.clients.models import ClientMember, Contact, Person
from tila.clients.privacy import individual_clients
from tila.lib.privacy import Counts, PlanLine, Section, item
from tila.meetings.models import Attendance, Meeting

Subject = Person | Contact


def meetings_as_member(person: Person) -> QuerySet[Meeting]:
    """Meetings of the person's clients held while she was a member."""
    periods = Q(pk__in=[])
    for member in ClientMember.objects.filter(person=person):
        period = Q(contract__client_id=member.client_id, start__date__gte=member.joined_on)
        if member.left_on is not None:
            period &= Q(start__date__lte=member.left_on)
        periods |= period
    return Meeting.objects.filter(practice=person.practice).filter(periods)


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        return []
    present = {
        row.meeting_id: row.present
        for row in Attendance.objects.filter(member__person=subject).only("meeting", "present")
    }
    meetings = meetings_as_member(subject).select_related("contract").order_by("start", "id")
    section = Section(
        key="meetings",
        title=_("Meetings"),
        about=_(
            "The meetings held while you were a member, with your attendance and any cancellation."
        ),
    )
    for meeting in meetings:
        attended = present.get(meeting.pk)
        section.records.append(
            [
                item("contract", _("Contract"), meeting.contract.title),
                item("start", _("Starts"), meeting.start),
                item("end", _("Ends"), meeting.end),
                item("status", _("Status"), meeting.get_status_display()),
                item("place", _("Place"), meeting.place),
                item(
                    "present",
                    _("Present"),
                    _("not recorded") if attended is None else attended,
                ),
                item("cancelled_at", _("Cancelled at"), meeting.cancelled_at),
                item(
                    "cancelled_by",
                    _("Cancelled by"),
                    meeting.get_cancelled_by_display() if meeting.cancelled_by else "",
                ),
                item("cancellation_reason", _("Reason"), meeting.cancellation_reason),
            ]
        )
    return [section]


def _individual_reasons(person: Person) -> QuerySet[Meeting]:
    return Meeting.objects.filter(contract__client__in=individual_clients(person)).exclude(
        cancellation_reason=""
    )


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    lines = []
    reasons = _individual_reasons(subject).count()
    if reasons:
        lines.append(
            PlanLine(
                ngettext(
                    "The reason of %(count)d cancellation in individual supervision",
                    "The reasons of %(count)d cancellations in individual supervision",
                    reasons,
                )
                % {"count": reasons},
                erase=True,
            )
        )
    count = meetings_as_member(subject).count()
    lines.append(
        PlanLine(
            ngettext(
                "%(count)d meeting and the attendance recorded in it",
                "%(count)d meetings and the attendance recorded in them",
                count,
            )
            % {"count": count},
            erase=False,
            reason=_(
                "The meetings belong to the group's record and to billing; the attendance "
                "stays under the pseudonym, so the counts stay right."
            ),
        )
    )
    return lines


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    return {"cancellation_reasons": _individual_reasons(subject).update(cancellation_reason="")}

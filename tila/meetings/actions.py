"""State changes of meetings.

Each action runs in one transaction, refuses what the rules do not allow by raising
``MeetingError`` (whose message is meant for the user), and records a ContractEvent."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.contracts.models import Contract, ContractEvent, EventKind, Status
from tila.meetings.busy import BusyTime, find_busy, hold_supervisors_time
from tila.meetings.feed import hash_feed_token, new_feed_token
from tila.meetings.invitations import Change
from tila.meetings.models import (
    Absence,
    Attendance,
    CalendarFeed,
    CancelledBy,
    Meeting,
    MeetingStatus,
)
from tila.meetings.queries import Slot, find_clashes
from tila.meetings.tasks import queue_announcement
from tila.practices.models import Membership

# The name that both the PostgreSQL exclusion constraint and the SQLite triggers report.
OVERLAP_CONSTRAINT = "meeting_no_overlap"


class MeetingError(Exception):
    """A change that the rules refuse; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MeetingConflict(MeetingError):
    """The times overlap meetings, or other busy times, that already occupy the supervisor."""

    def __init__(
        self,
        clashes: list[tuple[Slot, Meeting]],
        busy: list[tuple[Slot, BusyTime]] | None = None,
    ) -> None:
        super().__init__(_("The time overlaps another of the supervisor's meetings."))
        self.clashes = clashes
        self.busy = busy or []


def meeting_series(
    *, first_start: datetime, minutes: int, every_weeks: int, count: int
) -> list[Slot]:
    """``count`` meetings ``every_weeks`` weeks apart, each ``minutes`` long.

    The weeks are counted in local wall-clock time, so a series that starts at 13.00 stays at
    13.00 across the change to and from summer time."""
    first = timezone.localtime(first_start)
    slots: list[Slot] = []
    for index in range(count):
        start = timezone.localtime(first + timedelta(weeks=every_weeks * index))
        end = timezone.localtime(start.astimezone(UTC) + timedelta(minutes=minutes))
        slots.append((start, end))
    return slots


def _check_times(slots: list[Slot]) -> None:
    for start, end in slots:
        if end <= start:
            raise MeetingError(_("A meeting must end after it starts."))
    ordered = sorted(slots)
    for (_start, end), (next_start, _end) in pairwise(ordered):
        if next_start < end:
            raise MeetingError(_("The meetings of the series overlap each other."))


def _is_overlap(error: IntegrityError) -> bool:
    return OVERLAP_CONSTRAINT in str(error)


def _iso(moment: datetime) -> str:
    """Local (Helsinki) time in ISO 8601, the same whether the value came from a form or the DB."""
    return timezone.localtime(moment).isoformat()


def _event(contract: Contract, actor: User | None, kind: str, **data: object) -> None:
    ContractEvent.objects.create(contract=contract, actor=actor, kind=kind, data=data)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting as it is now in the database, locked for this transaction."""
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fresh.contract = meeting.contract
    return fresh


def plan_meetings(
    *,
    contract: Contract,
    supervisor: User,
    slots: list[Slot],
    place: str,
    remote_link: str,
    actor: User,
) -> list[Meeting]:
    """Plan all the meetings, or none of them.

    Raises ``MeetingConflict`` naming the clashes when any meeting would overlap another of
    the supervisor's planned or held meetings, whether the check here or the database
    guarantee finds it."""
    if contract.status == Status.ENDED:
        raise MeetingError(_("The contract has ended; no more meetings can be planned."))
    if not slots:
        raise MeetingError(_("Plan at least one meeting."))
    _check_times(slots)
    try:
        with transaction.atomic():
            hold_supervisors_time(supervisor.pk)
            clashes = find_clashes(supervisor, slots)
            busy = find_busy(supervisor, slots, contract.practice)
            if clashes or busy:
                raise MeetingConflict(clashes, busy)
            meetings = Meeting.objects.bulk_create(
                Meeting(
                    practice=contract.practice,
                    contract=contract,
                    supervisor=supervisor,
                    start=start,
                    end=end,
                    place=place,
                    remote_link=remote_link,
                    recorded_by=actor,
                )
                for start, end in slots
            )
            _event(
                contract,
                actor,
                EventKind.MEETINGS_PLANNED,
                count=len(meetings),
                first=_iso(slots[0][0]),
                last=_iso(slots[-1][0]),
                meetings=[str(meeting.uuid) for meeting in meetings],
            )
            queue_announcement(meetings, Change.PLANNED)
    except IntegrityError as error:
        # Another request planned an overlapping meeting after our check.
        if not _is_overlap(error):
            raise
        raise MeetingConflict(find_clashes(supervisor, slots)) from error
    return meetings


def mark_held(
    *,
    meeting: Meeting,
    members: list[ClientMember],
    present: Iterable[ClientMember],
    actor: User,
) -> Meeting:
    """Mark the meeting held with one attendance row per member; marking again updates them."""
    present_ids = {member.pk for member in present}
    if not present_ids <= {member.pk for member in members}:
        raise MeetingError(_("Attendance can only be marked for the client's members."))
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.HELD):
            raise MeetingError(_("Only a planned or held meeting can be marked held."))
        if meeting.start > timezone.now():
            raise MeetingError(_("The meeting has not started yet, so it cannot be marked held."))
        again = meeting.status == MeetingStatus.HELD
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, member=member, present=member.pk in present_ids)
                for member in members
            ],
            update_conflicts=True,
            unique_fields=["meeting", "member"],
            update_fields=["present"],
        )
        meeting.status = MeetingStatus.HELD
        meeting.recorded_by = actor
        meeting.save(update_fields=["status", "recorded_by", "updated_at"])
        _event(
            meeting.contract,
            actor,
            EventKind.MEETING_HELD,
            meeting=str(meeting.uuid),
            start=_iso(meeting.start),
            present=len(present_ids),
            members=len(members),
            again=again,
        )
    return meeting


def cancel_meeting(
    *,
    meeting: Meeting,
    cancelled_by: str,
    cancelled_at: datetime,
    reason: str,
    actor: User | None,
    member: ClientMember | None = None,
) -> Meeting:
    """Cancel a planned meeting, and tell the participants.

    ``member`` is the supervisee who cancelled, when one did; ``actor`` is None when she
    did it through the link of her invitation.

    The supervisor's cancellation is never charged. Anyone else's is late when it comes
    with less notice than the contract's ``cancellation_notice_hours``; a late cancellation
    is billable at the contract's ``late_cancellation_percent``."""
    if cancelled_by not in CancelledBy.values:
        raise MeetingError(_("Choose who cancelled the meeting."))
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.PLANNED:
            raise MeetingError(_("Only a planned meeting can be cancelled."))
        if cancelled_by == CancelledBy.SUPERVISOR:
            meeting.status = MeetingStatus.CANCELLED_BY_SUPERVISOR
        elif meeting.is_late_cancellation(cancelled_at):
            meeting.status = MeetingStatus.CANCELLED_LATE
        else:
            meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_at = cancelled_at
        meeting.cancelled_by = cancelled_by
        meeting.cancellation_reason = reason
        meeting.cancelled_by_member = member
        meeting.recorded_by = actor
        meeting.sequence += 1
        meeting.save()
        _event(
            meeting.contract,
            actor,
            EventKind.MEETING_CANCELLED,
            meeting=str(meeting.uuid),
            start=_iso(meeting.start),
            status=str(meeting.status),
            cancelled_by=cancelled_by,
            cancelled_at=_iso(cancelled_at),
            billable_percent=meeting.billable_share,
            member=str(member.uuid) if member else None,
        )
        queue_announcement([meeting], Change.CANCELLED)
    return meeting


def move_meeting(
    *,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    place: str,
    remote_link: str,
    actor: User,
) -> Meeting:
    """Move a planned meeting to a new time or place, with the same overlap rules as planning,
    and tell the participants."""
    _check_times([(start, end)])
    try:
        with transaction.atomic():
            meeting = _locked(meeting)
            if meeting.status != MeetingStatus.PLANNED:
                raise MeetingError(_("Only a planned meeting can be moved."))
            hold_supervisors_time(meeting.supervisor_id)
            clashes = find_clashes(meeting.supervisor, [(start, end)], exclude=meeting)
            busy = find_busy(meeting.supervisor, [(start, end)], meeting.practice)
            if clashes or busy:
                raise MeetingConflict(clashes, busy)
            before = (meeting.start, meeting.end)
            meeting.start, meeting.end = start, end
            meeting.place, meeting.remote_link = place, remote_link
            meeting.recorded_by = actor
            meeting.sequence += 1
            meeting.save()
            _event(
                meeting.contract,
                actor,
                EventKind.MEETING_MOVED,
                meeting=str(meeting.uuid),
                from_start=_iso(before[0]),
                from_end=_iso(before[1]),
                to_start=_iso(start),
                to_end=_iso(end),
            )
            queue_announcement([meeting], Change.MOVED)
    except IntegrityError as error:
        if not _is_overlap(error):
            raise
        raise MeetingConflict(
            find_clashes(meeting.supervisor, [(start, end)], exclude=meeting)
        ) from error
    return meeting


def report_absence(
    *, meeting: Meeting, member: ClientMember, reported_at: datetime, actor: User | None
) -> Attendance:
    """A group member tells beforehand that she will not come; the meeting stays.

    Recorded on her attendance row (absent), late when it comes with less notice than the
    contract's cancellation terms. The group's meeting is billed as agreed either way.
    Reporting again changes nothing."""
    if member.client_id != meeting.contract.client_id:
        raise MeetingError(_("Attendance can only be marked for the client's members."))
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.PLANNED or meeting.start <= reported_at:
            raise MeetingError(
                _("An absence can be reported only for a planned meeting that has not started.")
            )
        row, created = Attendance.objects.get_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "present": False,
                "absence_reported_at": reported_at,
                "absence_late": meeting.is_late_cancellation(reported_at),
            },
        )
        if not created:
            if row.absence_reported_at is not None:
                return row
            row.present = False
            row.absence_reported_at = reported_at
            row.absence_late = meeting.is_late_cancellation(reported_at)
            row.save(update_fields=["present", "absence_reported_at", "absence_late"])
        _event(
            meeting.contract,
            actor,
            EventKind.ABSENCE_REPORTED,
            meeting=str(meeting.uuid),
            start=_iso(meeting.start),
            member=str(member.uuid),
            reported_at=_iso(reported_at),
            late=row.absence_late,
        )
    return row


def cancel_as_participant(
    *, meeting: Meeting, member: ClientMember, now: datetime, actor: User | None = None
) -> Meeting | Attendance:
    """A supervisee cancels her individual meeting, or reports her absence from her group's
    meeting (which then stays), e.g. through the link of her invitation.

    Late or not under the contract's terms, as the returned meeting's status or the
    attendance row's ``absence_late`` tells."""
    if member.left_on is not None or member.client_id != meeting.contract.client_id:
        raise MeetingError(_("You are no longer a participant of this meeting."))
    if meeting.status != MeetingStatus.PLANNED or meeting.start <= now:
        raise MeetingError(_("Only a planned meeting that has not started can be cancelled."))
    if meeting.contract.client.is_group:
        return report_absence(meeting=meeting, member=member, reported_at=now, actor=actor)
    return cancel_meeting(
        meeting=meeting,
        cancelled_by=CancelledBy.SUPERVISEE,
        cancelled_at=now,
        reason="",
        actor=actor,
        member=member,
    )


def create_calendar_feed(membership: Membership) -> str:
    """Make the member a new secret calendar link, replacing any earlier one; the token.

    The token itself is not stored (only its hash), so the caller shows it now or never."""
    token = new_feed_token()
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            membership=membership, defaults={"token_hash": hash_feed_token(token)}
        )
    return token


def revoke_calendar_feed(membership: Membership) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(membership=membership).delete()


def set_calendar_feed_names(membership: Membership, *, show_client_names: bool) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(membership=membership).update(
            show_client_names=show_client_names
        )


def record_absence(*, membership: Membership, first_day: date, last_day: date) -> Absence:
    """Record days when the member is away."""
    if last_day < first_day:
        raise MeetingError(_("The last day cannot be before the first day."))
    return Absence.objects.create(
        practice=membership.practice,
        user=membership.user,
        first_day=first_day,
        last_day=last_day,
    )


def delete_absence(absence: Absence) -> None:
    absence.delete()

"""Meeting mail as django-tasks background tasks.

An action that plans, moves or cancels meetings queues ``announce_meetings`` in its own
transaction, so the mail goes out only if the change is saved, and never when it is not.
The announcement queues one ``deliver_meeting_mail`` per participant and, for planned or
moved meetings, a reminder 24 hours before each. A delivery that the mail server refuses
queues itself again later (``tila.lib.retry``) and is logged; after the last try it fails and
stays in the task table as failed.

Each task names the meetings with the ``sequence`` they had when it was queued. A meeting
that has changed since is left out: the change queued a newer mail of its own."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tila.lib.retry import retry_later
from tila.meetings.invitations import Change, meeting_message, recipient, recipients
from tila.meetings.models import Meeting, MeetingStatus

REMINDER_BEFORE = timedelta(hours=24)
# [meeting uuid, sequence] pairs: JSON, as task arguments must be.
Versions = list[list[str | int]]


def versions(meetings: list[Meeting]) -> Versions:
    return [[str(meeting.uuid), meeting.sequence] for meeting in meetings]


def _current(change: str, wanted: Versions) -> list[Meeting]:
    """The meetings that are still as they were when the task was queued."""
    sequences = {str(uuid): int(sequence) for uuid, sequence in wanted}
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(uuid__in=list(sequences)).select_related(
            "contract",
            "contract__client",
            "contract__orderer_contact",
            "supervisor",
            "practice",
        )
        if meeting.sequence == sequences[str(meeting.uuid)]
    ]
    if change == Change.CANCELLED:
        return [meeting for meeting in meetings if meeting.is_cancelled]
    return [meeting for meeting in meetings if meeting.status == MeetingStatus.PLANNED]


def queue_announcement(meetings: list[Meeting], change: str) -> None:
    """Queue the mail about the change; call inside the transaction that makes it."""
    if meetings:
        announce_meetings.enqueue(change, versions(meetings))


@task()
def announce_meetings(change: str, wanted: Versions) -> int:
    """Queue one delivery per participant, and the reminders. Returns the deliveries queued."""
    meetings = _current(change, wanted)
    if not meetings:
        return 0
    now = timezone.now()
    if change in (Change.PLANNED, Change.MOVED):
        for meeting in meetings:
            remind_at = meeting.start - REMINDER_BEFORE
            if remind_at > now:
                announce_meetings.using(run_after=remind_at).enqueue(
                    Change.REMINDER, versions([meeting])
                )
    elif change == Change.REMINDER and meetings[0].start <= now:
        return 0
    keys = [found.key for found in recipients(meetings[0])]
    for key in keys:
        deliver_meeting_mail.enqueue(change, versions(meetings), key, 0)
    return len(keys)


@task()
def deliver_meeting_mail(change: str, wanted: Versions, key: str, attempt: int) -> bool:
    """Send one participant her mail. Returns whether it was sent now."""
    meetings = _current(change, wanted)
    to = recipient(meetings[0], key) if meetings else None
    if to is None:
        return False
    try:
        meeting_message(change, meetings, to).send()
    except Exception as error:
        retry_later(
            deliver_meeting_mail,
            [change, wanted, key],
            attempt,
            f"Meeting mail ({change}) to {key}",
            error,
        )
        return False
    return True

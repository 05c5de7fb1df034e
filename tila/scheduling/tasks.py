"""The poll's mail as django-tasks background tasks: one delivery per member, queued by the
action that opens the poll (or asks a member who joined later) inside its own transaction,
retried later when the mail server refuses (``tila.lib.retry``). The link is made when the
mail is sent, so the task table never holds a usable token.

A poll open long enough gets one reminder a day before its deadline
(``REMIND_BEFORE``): it goes to each member who was sent a link and has not answered, with a
new link that replaces her earlier one."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from tila.lib.retry import retry_later
from tila.scheduling.links import issue_link
from tila.scheduling.mail import poll_message
from tila.scheduling.models import PollInvitee, PollStatus, SchedulePoll

REMIND_BEFORE = timedelta(days=1)
# A poll whose reminder would come sooner than this after it was sent gets none.
MIN_NOTICE = timedelta(hours=12)


def queue_poll_links(invitees: list[PollInvitee]) -> None:
    """Queue each invitee's mail; call inside the transaction that asks them."""
    for invitee in invitees:
        deliver_poll_link.enqueue(str(invitee.uuid), 0)


def reminder_time(poll: SchedulePoll, sent_at: datetime) -> datetime | None:
    """When the poll's reminder goes, for a poll sent at ``sent_at``; None if it gets none."""
    remind_at = poll.deadline - REMIND_BEFORE
    return remind_at if remind_at - sent_at >= MIN_NOTICE else None


def queue_poll_reminder(poll: SchedulePoll, now: datetime) -> None:
    """Queue the reminder; call inside the transaction that opens the poll."""
    remind_at = reminder_time(poll, now)
    if remind_at is not None:
        remind_poll.using(run_after=remind_at).enqueue(str(poll.uuid))


def _deliverable(invitee_uuid: str) -> PollInvitee | None:
    """The invitee, while her poll is open, she is a member and has an email address."""
    invitee = (
        PollInvitee.objects.select_related(
            "poll", "poll__supervisor", "poll__practice", "member__person"
        )
        .filter(uuid=invitee_uuid, poll__status=PollStatus.OPEN, member__left_on__isnull=True)
        .first()
    )
    if invitee is None or not invitee.member.person.email:
        return None
    return invitee


@task()
def deliver_poll_link(invitee_uuid: str, attempt: int) -> bool:
    """Send one member her link to the poll. Returns whether it was sent now."""
    invitee = _deliverable(invitee_uuid)
    if invitee is None:
        return False
    try:
        poll_message(invitee, issue_link(invitee)).send()
    except Exception as error:
        retry_later(
            deliver_poll_link, [invitee_uuid], attempt, f"Poll link to {invitee_uuid}", error
        )
        return False
    return True


@task()
def remind_poll(poll_uuid: str) -> int:
    """Queue one reminder to each member who was sent a link and has not answered, while
    the poll takes answers. Returns how many."""
    poll = SchedulePoll.objects.filter(uuid=poll_uuid, status=PollStatus.OPEN).first()
    if poll is None or not poll.accepts_answers(timezone.now()):
        return 0
    keys = [
        str(key)
        for key in poll.invitees.filter(
            answered_at__isnull=True, reminded_at__isnull=True, member__left_on__isnull=True
        )
        .exclude(token_hash="")
        .values_list("uuid", flat=True)
    ]
    for key in keys:
        deliver_poll_reminder.enqueue(key, 0)
    return len(keys)


@task()
def deliver_poll_reminder(invitee_uuid: str, attempt: int) -> bool:
    """Remind one member who has not answered, with a new link. Returns whether it was sent."""
    invitee = _deliverable(invitee_uuid)
    now = timezone.now()
    if (
        invitee is None
        or invitee.answered_at is not None
        or invitee.reminded_at is not None
        or not invitee.poll.accepts_answers(now)
    ):
        return False
    try:
        poll_message(invitee, issue_link(invitee), reminder=True).send()
    except Exception as error:
        retry_later(
            deliver_poll_reminder,
            [invitee_uuid],
            attempt,
            f"Poll reminder to {invitee_uuid}",
            error,
        )
        return False
    invitee.reminded_at = now
    invitee.save(update_fields=["reminded_at"])
    return True

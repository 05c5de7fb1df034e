"""The poll's mail as django-tasks background tasks: one delivery per member, queued by the
action that opens the poll inside its own transaction, retried later when the mail server
refuses (``tila.lib.retry``). The link is made when the mail is sent, so the task table never
holds a usable token."""

from django_tasks import task

from tila.lib.retry import retry_later
from tila.scheduling.links import issue_link
from tila.scheduling.mail import poll_message
from tila.scheduling.models import PollInvitee, PollStatus


def queue_poll_links(invitees: list[PollInvitee]) -> None:
    """Queue each invitee's mail; call inside the transaction that opens the poll."""
    for invitee in invitees:
        deliver_poll_link.enqueue(str(invitee.uuid), 0)


@task()
def deliver_poll_link(invitee_uuid: str, attempt: int) -> bool:
    """Send one member her link to the poll. Returns whether it was sent now."""
    invitee = (
        PollInvitee.objects.select_related(
            "poll", "poll__supervisor", "poll__practice", "member__person"
        )
        .filter(uuid=invitee_uuid, poll__status=PollStatus.OPEN, member__left_on__isnull=True)
        .first()
    )
    if invitee is None or not invitee.member.person.email:
        return False
    try:
        poll_message(invitee, issue_link(invitee)).send()
    except Exception as error:
        retry_later(
            deliver_poll_link, [invitee_uuid], attempt, f"Poll link to {invitee_uuid}", error
        )
        return False
    return True

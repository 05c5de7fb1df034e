"""State changes of scheduling polls.

Each action runs in one transaction and refuses what the rules do not allow by raising
``PollError`` (whose message is meant for the user); nothing is saved then. Turning chosen
times into meetings goes through ``tila.meetings.actions.plan_meetings``, so the overlap
rules and the invitations are those of any planned meeting."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.contracts.models import Contract, Status
from tila.meetings.actions import plan_meetings
from tila.meetings.models import Meeting
from tila.meetings.queries import Slot
from tila.scheduling.models import (
    MAX_TIMES,
    Choice,
    PollAnswer,
    PollInvitee,
    PollStatus,
    PollTime,
    SchedulePoll,
)
from tila.scheduling.tasks import queue_poll_links, queue_poll_reminder


class PollError(Exception):
    """A change that the rules refuse; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_times(times: list[Slot], deadline: datetime, now: datetime) -> None:
    if not times:
        raise PollError(_("Propose at least one candidate time."))
    if len(times) > MAX_TIMES:
        raise PollError(_("Propose at most %(count)s candidate times.") % {"count": MAX_TIMES})
    for start, end in times:
        if end <= start:
            raise PollError(_("A candidate time must end after it starts."))
        if start <= now:
            raise PollError(_("A candidate time is in the past."))
    if len(set(times)) != len(times):
        raise PollError(_("The same candidate time is proposed twice."))
    if deadline <= now:
        raise PollError(_("The deadline for answers must be in the future."))
    if deadline > min(start for start, _end in times):
        raise PollError(_("The deadline for answers must be before the first candidate time."))


def create_poll(
    *,
    contract: Contract,
    supervisor: User,
    times: list[Slot],
    note: str,
    deadline: datetime,
    show_names: bool,
    actor: User,
    now: datetime | None = None,
) -> SchedulePoll:
    """Open a poll for the client's current members and send each her own link."""
    now = now or timezone.now()
    if not contract.client.is_group:
        raise PollError(_("Scheduling polls are for groups, teams and work communities."))
    if contract.status == Status.ENDED:
        raise PollError(_("The contract has ended; no more meetings can be planned."))
    if not contract.supervisors.filter(pk=supervisor.pk).exists():
        raise PollError(_("The supervisor must be one of the contract's supervisors."))
    _check_times(times, deadline, now)
    members = list(contract.client.current_members())
    if not members:
        raise PollError(_("The client has no current members to ask."))
    with transaction.atomic():
        poll = SchedulePoll.objects.create(
            practice=contract.practice,
            contract=contract,
            supervisor=supervisor,
            note=note.strip(),
            deadline=deadline,
            show_names=show_names,
            created_by=actor,
        )
        PollTime.objects.bulk_create(
            PollTime(poll=poll, start=start, end=end) for start, end in sorted(times)
        )
        _ask(poll, members)
        queue_poll_reminder(poll, now)
    return poll


def members_not_asked(poll: SchedulePoll) -> list[ClientMember]:
    """The client's current members who joined after the poll was sent (not asked yet)."""
    asked = poll.invitees.values("member_id")
    return list(poll.contract.client.current_members().exclude(pk__in=asked))


def ask_new_members(*, poll: SchedulePoll, now: datetime | None = None) -> list[PollInvitee]:
    """Ask the members who joined the group after the poll was sent, each with her own link."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = _locked(poll)
        if poll.status != PollStatus.OPEN:
            raise PollError(_("The poll has already been decided or closed."))
        if not poll.accepts_answers(now):
            raise PollError(_("The time for answers has ended."))
        members = members_not_asked(poll)
        if not members:
            raise PollError(_("Every current member has been asked already."))
        invitees = _ask(poll, members)
    return invitees


def _ask(poll: SchedulePoll, members: list[ClientMember]) -> list[PollInvitee]:
    """Make the members invitees of the poll and queue the links of those with an email
    address; call inside the transaction that asks them."""
    invitees = PollInvitee.objects.bulk_create(
        PollInvitee(poll=poll, member=member) for member in members
    )
    queue_poll_links(
        [invitee for invitee, member in zip(invitees, members, strict=True) if member.person.email]
    )
    return invitees


def _locked(poll: SchedulePoll) -> SchedulePoll:
    fresh = SchedulePoll.objects.select_for_update().get(pk=poll.pk)
    fresh.contract = poll.contract
    return fresh


def answer_poll(
    *, invitee: PollInvitee, answers: Mapping[PollTime, str], now: datetime | None = None
) -> list[PollAnswer]:
    """Save the member's answer to every candidate time; answering again replaces it."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = SchedulePoll.objects.select_for_update().get(pk=invitee.poll_id)
        if not poll.accepts_answers(now):
            raise PollError(_("The poll has closed; answers can no longer be changed."))
        if any(time.poll_id != poll.pk for time in answers):
            raise PollError(_("An answer is for a time that is not in this poll."))
        if any(choice not in Choice.values for choice in answers.values()):
            raise PollError(_("Answer each time with yes, if needed or no."))
        if {time.pk for time in answers} != set(poll.times.values_list("pk", flat=True)):
            raise PollError(_("Answer every candidate time."))
        saved = PollAnswer.objects.bulk_create(
            [
                PollAnswer(invitee=invitee, time=time, choice=choice)
                for time, choice in answers.items()
            ],
            update_conflicts=True,
            unique_fields=["invitee", "time"],
            update_fields=["choice"],
        )
        invitee.answered_at = now
        invitee.save(update_fields=["answered_at"])
    return saved


def decide_poll(
    *, poll: SchedulePoll, times: list[PollTime], actor: User, now: datetime | None = None
) -> list[Meeting]:
    """Plan the chosen times as meetings (with their invitations) and close the poll.

    Raises ``PollError``, or the ``MeetingError`` of planning (such as ``MeetingConflict``
    naming the clashes); then nothing is saved and the poll stays open."""
    now = now or timezone.now()
    if not times:
        raise PollError(_("Choose at least one time."))
    if any(time.poll_id != poll.pk for time in times):
        raise PollError(_("A chosen time is not in this poll."))
    if any(time.start <= now for time in times):
        raise PollError(_("A chosen time has already begun; choose a coming one."))
    with transaction.atomic():
        poll = _locked(poll)
        if poll.status != PollStatus.OPEN:
            raise PollError(_("The poll has already been decided or closed."))
        chosen = sorted(times, key=lambda time: time.start)
        meetings = plan_meetings(
            contract=poll.contract,
            supervisor=poll.supervisor,
            slots=[(time.start, time.end) for time in chosen],
            place=poll.contract.place,
            remote_link=poll.contract.remote_link,
            actor=actor,
        )
        for time, meeting in zip(chosen, meetings, strict=True):
            time.meeting = meeting
            time.save(update_fields=["meeting"])
        poll.status = PollStatus.DECIDED
        poll.closed_at = now
        poll.save(update_fields=["status", "closed_at"])
    return meetings


def close_poll(*, poll: SchedulePoll, now: datetime | None = None) -> SchedulePoll:
    """Close the poll without meetings; the members' links then say so."""
    with transaction.atomic():
        poll = _locked(poll)
        if poll.status != PollStatus.OPEN:
            raise PollError(_("The poll has already been decided or closed."))
        poll.status = PollStatus.CLOSED
        poll.closed_at = now or timezone.now()
        poll.save(update_fields=["status", "closed_at"])
    return poll


def resend_link(*, invitee: PollInvitee) -> None:
    """Send the member a new link (the old one stops working when the new one is sent)."""
    with transaction.atomic():
        poll = SchedulePoll.objects.select_for_update().get(pk=invitee.poll_id)
        if poll.status != PollStatus.OPEN:
            raise PollError(_("The poll has already been decided or closed."))
        member = invitee.member
        if member.left_on is not None:
            raise PollError(_("%(name)s is no longer a member.") % {"name": member.person.name})
        if not member.person.email:
            raise PollError(_("%(name)s has no email address.") % {"name": member.person.name})
        queue_poll_links([invitee])

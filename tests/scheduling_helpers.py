"""Builders for scheduling polls in tests, through the real actions."""

from datetime import datetime, timedelta

from django.urls import reverse

from tests.factories import World, at
from tila.clients.models import ClientMember
from tila.scheduling.actions import create_poll
from tila.scheduling.links import issue_link
from tila.scheduling.models import SchedulePoll

# Three candidate times in November 2026, each 90 minutes.
STARTS = [at(2026, 11, 17, 13), at(2026, 11, 19, 9), at(2026, 11, 24, 13)]


def slots(starts: list[datetime] = STARTS, minutes: int = 90) -> list[tuple[datetime, datetime]]:
    return [(start, start + timedelta(minutes=minutes)) for start in starts]


def make_poll(
    world: World,
    *,
    show_names: bool = False,
    note: str = "Valitaan kevään ensimmäinen kerta.",
    starts: list[datetime] = STARTS,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> SchedulePoll:
    return create_poll(
        contract=world.contract,
        supervisor=world.owner,
        times=slots(starts),
        note=note,
        deadline=deadline or min(starts) - timedelta(days=3),
        show_names=show_names,
        actor=world.owner,
        now=now or at(2026, 11, 2, 8),
    )


def link_of(poll: SchedulePoll, member: ClientMember) -> str:
    """A fresh answer link (path) for the member, as her mail would carry it."""
    invitee = poll.invitees.get(member=member)
    return reverse("answer_schedule_poll", args=[issue_link(invitee)])

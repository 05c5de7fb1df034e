"""Other things that occupy a supervisor's time, registered by the apps that own them.

Meetings never overlap each other (the database guarantees it); what else keeps the
supervisor busy lives in apps that depend on meetings (a booked first conversation in
``tila.intake``). Those apps register a source in their ``AppConfig.ready()``, so the arrows
between apps keep pointing one way::

    register_busy_source(booked_conversations)

A source takes the supervisor, the times asked about and the practice that asks, and returns
what of hers overlaps any of them. A supervisor may work in several practices: a source names
the details of its busy time only to the practice it belongs to."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from tila.accounts.models import User
from tila.practices.models import Practice

Slot = tuple[datetime, datetime]


@dataclass(frozen=True)
class BusyTime:
    """A time the supervisor is taken, and what takes it, in words for her."""

    start: datetime
    end: datetime
    label: str


BusySource = Callable[[User, list[Slot], Practice], list[BusyTime]]

_sources: dict[str, BusySource] = {}


def register_busy_source(source: BusySource) -> None:
    """Count ``source`` as busy time; registering the same function again replaces it."""
    _sources[f"{source.__module__}.{source.__qualname__}"] = source


def hold_supervisors_time(supervisor_id: int) -> None:
    """Lock the supervisor's row until the transaction ends. Whatever takes her time —
    planning or moving a meeting, booking a first conversation — takes this lock before it
    looks whether the time is free, so two of them never both find it free (PostgreSQL;
    SQLite's transactions begin IMMEDIATE and queue anyway). Call inside ``atomic()``."""
    list(User.objects.select_for_update().filter(pk=supervisor_id).values_list("pk", flat=True))


def find_busy(
    supervisor: User, slots: Iterable[Slot], practice: Practice
) -> list[tuple[Slot, BusyTime]]:
    """Each slot paired with each registered busy time of the supervisor that it overlaps,
    described for ``practice``."""
    slots = list(slots)
    if not slots:
        return []
    found = sorted(
        {busy for source in _sources.values() for busy in source(supervisor, slots, practice)},
        key=lambda busy: busy.start,
    )
    return [
        ((start, end), busy)
        for start, end in slots
        for busy in found
        if busy.start < end and busy.end > start
    ]

"""Rounds (kierros): a speaking order, the same time for each, and a reflecting team's phases.

The round's state is the run's own (``speaker``, ``turn_started_at``, ``phase``) and the
participants' ``speaking_order``; the time left is worked out from the database at each render
and counted down on the screens from there."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from tila.live.models import Participant, Phase, Run

TURN_CHOICES = (30, 60, 90, 120, 180, 300, 600)

PHASE_HELP: dict[str, StrPromise] = {
    Phase.CASE: _("The case owner tells about the situation. The others listen and may ask."),
    Phase.REFLECT: _(
        "The team reflects among themselves, as if the case owner were not there. The case "
        "owner listens without answering."
    ),
    Phase.ANSWER: _("The case owner tells what struck them in the reflections."),
}


def speaking_order(run: Run) -> list[Participant]:
    return list(run.participants.order_by("speaking_order", "joined_at", "id"))


def clock(seconds: int) -> str:
    """Seconds as minutes and seconds, as a timer shows them: 2:05, or −0:10 over time."""
    sign = "−" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


@dataclass
class Speaker:
    name: str
    key: str
    current: bool
    done: bool


@dataclass
class TurnsView:
    speakers: list[Speaker]
    current: Speaker | None
    finished: bool
    remaining: int | None
    phase: str
    phases: list[tuple[str, StrPromise]]
    phase_help: StrPromise | None
    turn_seconds: int

    @property
    def remaining_text(self) -> str:
        return clock(self.remaining) if self.remaining is not None else ""

    @property
    def turn_text(self) -> str:
        return clock(self.turn_seconds)


def view(run: Run, now: datetime | None = None) -> TurnsView:
    people = speaking_order(run)
    index = next((i for i, each in enumerate(people) if each.pk == run.speaker_id), None)
    finished = index is None and run.turn_started_at is not None
    speakers = [
        Speaker(
            name=person.name or "–",
            key=person.uuid.hex,
            current=i == index,
            done=finished or (index is not None and i < index),
        )
        for i, person in enumerate(people)
    ]
    remaining = None
    if index is not None and run.turn_started_at is not None:
        elapsed = ((now or timezone.now()) - run.turn_started_at).total_seconds()
        remaining = run.turn_seconds - int(elapsed)
    return TurnsView(
        speakers=speakers,
        current=speakers[index] if index is not None else None,
        finished=finished,
        remaining=remaining,
        phase=run.phase,
        phases=list(Phase.choices) if run.reflecting else [],
        phase_help=PHASE_HELP.get(run.phase),
        turn_seconds=run.turn_seconds,
    )

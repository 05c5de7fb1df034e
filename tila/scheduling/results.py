"""The answers of a poll counted per candidate time, best first."""

from dataclasses import dataclass, field
from datetime import datetime

from tila.scheduling.models import Choice, PollAnswer, PollTime, SchedulePoll


@dataclass
class TimeResult:
    time: PollTime
    names: dict[str, list[str]] = field(
        default_factory=lambda: {choice: [] for choice in Choice.values}
    )

    @property
    def yes(self) -> int:
        return len(self.names[Choice.YES])

    @property
    def if_needed(self) -> int:
        return len(self.names[Choice.IF_NEEDED])

    @property
    def no(self) -> int:
        return len(self.names[Choice.NO])

    @property
    def slot(self) -> tuple[datetime, datetime]:
        return (self.time.start, self.time.end)

    @property
    def rank(self) -> tuple[int, int, int, object]:
        """Most yes first, then most if needed, then fewest no, then the earliest."""
        return (-self.yes, -self.if_needed, self.no, self.time.start)


def tally(poll: SchedulePoll) -> list[TimeResult]:
    """Every candidate time with the names of who answered what, best first."""
    results = {time.pk: TimeResult(time) for time in poll.times.select_related("meeting")}
    answers = PollAnswer.objects.filter(time__poll=poll).select_related("invitee__member__person")
    for answer in answers.order_by("invitee__member__person__name"):
        results[answer.time_id].names[answer.choice].append(answer.invitee.member.person.name)
    return sorted(results.values(), key=lambda result: result.rank)

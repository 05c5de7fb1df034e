"""A series of meetings at the contract's rhythm that passes over Finnish public holidays and
the supervisor's absences, and what each proposed time would clash with."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.lib.public_holidays import finnish_holidays
from tila.lib.templatetags.tila import short_date
from tila.meetings.busy import BusyTime, Slot, find_busy
from tila.meetings.models import Absence, Meeting
from tila.meetings.queries import find_clashes
from tila.practices.models import Practice

# How many days off in a row a series may pass over before it gives up.
MAX_PASSED_OVER = 52


class SeriesError(Exception):
    pass


@dataclass
class Proposed:
    """One date of the series: a meeting, or a date passed over and why."""

    start: datetime
    end: datetime
    passed_over: str = ""
    clashes: list[Meeting] = field(default_factory=list)
    busy: list[BusyTime] = field(default_factory=list)

    @property
    def conflicts(self) -> bool:
        return bool(self.clashes or self.busy)


def _holiday_language() -> str:
    return "fi" if (translation.get_language() or "fi").startswith("fi") else "en_US"


def days_off(supervisor: User, first: date, last: date) -> dict[date, str]:
    """Each public holiday and each day of the supervisor's absences between the days, with
    the reason in words."""
    holidays = finnish_holidays(first, last, _holiday_language())
    found: dict[date, str] = {
        day: _("public holiday: %(name)s") % {"name": name}
        for day, name in holidays.items()
        if first <= day <= last
    }
    absences = Absence.objects.filter(user=supervisor, first_day__lte=last, last_day__gte=first)
    for absence in absences:
        reason = _("your absence %(first)s–%(last)s") % {
            "first": short_date(absence.first_day),
            "last": short_date(absence.last_day),
        }
        day = max(absence.first_day, first)
        while day <= min(absence.last_day, last):
            found.setdefault(day, reason)
            day += timedelta(days=1)
    return found


def propose_series(
    *,
    supervisor: User,
    first_start: datetime,
    minutes: int,
    every_weeks: int,
    count: int,
    on_days_off: bool = False,
) -> list[Proposed]:
    """``count`` meetings ``every_weeks`` weeks apart in local wall-clock time; a date on a
    public holiday or an absence is passed over (unless ``on_days_off``) and the series goes
    on at its rhythm, so that it still has ``count`` meetings."""
    first = timezone.localtime(first_start)
    horizon = (count + MAX_PASSED_OVER) * every_weeks
    off = (
        {}
        if on_days_off
        else days_off(supervisor, first.date(), first.date() + timedelta(weeks=horizon))
    )
    proposed: list[Proposed] = []
    planned = passed = index = 0
    while planned < count:
        start = timezone.localtime(first + timedelta(weeks=every_weeks * index))
        end = timezone.localtime(start.astimezone(UTC) + timedelta(minutes=minutes))
        index += 1
        reason = off.get(start.date(), "")
        proposed.append(Proposed(start=start, end=end, passed_over=reason))
        if reason:
            passed += 1
            if passed > MAX_PASSED_OVER:
                raise SeriesError(_("Too many of the dates fall on days off; choose other dates."))
        else:
            planned += 1
    return proposed


def slots_of(proposed: list[Proposed]) -> list[Slot]:
    return [(row.start, row.end) for row in proposed if not row.passed_over]


def with_conflicts(
    supervisor: User, proposed: list[Proposed], practice: Practice
) -> list[Proposed]:
    """Fill in each proposed meeting's overlaps with her other meetings and busy times."""
    slots = slots_of(proposed)
    clashes = find_clashes(supervisor, slots)
    busy = find_busy(supervisor, slots, practice)
    for row in proposed:
        if row.passed_over:
            continue
        slot = (row.start, row.end)
        row.clashes = [meeting for found, meeting in clashes if found == slot]
        row.busy = [time for found, time in busy if found == slot]
    return proposed

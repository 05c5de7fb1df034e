"""Free slots for a first conversation: the weekly hours, less Finnish public holidays, days
off, the supervisor's absences (``tila.meetings``), her meetings and bookings (with the
buffer around each), and the minimum notice. Times are wall-clock times in Helsinki, so
summer time moves nothing."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tila.intake.models import Availability, Booking, BookingStatus, DayOff, WeeklyHours
from tila.lib.public_holidays import finnish_holidays
from tila.meetings.models import Absence, Meeting

Slot = tuple[datetime, datetime]


def _local(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _busy(availability: Availability, first: datetime, last: datetime) -> list[Slot]:
    buffer = timedelta(minutes=availability.buffer_minutes)
    meetings = Meeting.objects.blocking().filter(
        supervisor=availability.supervisor, start__lt=last + buffer, end__gt=first - buffer
    )
    bookings = Booking.objects.filter(
        supervisor=availability.supervisor,
        status=BookingStatus.CONFIRMED,
        start__lt=last + buffer,
        end__gt=first - buffer,
    )
    return [(row.start, row.end) for row in [*meetings, *bookings]]


def _clashes(slot: Slot, busy: Iterable[Slot], buffer: timedelta) -> bool:
    start, end = slot
    return any(
        start < other_end + buffer and end + buffer > other_start for other_start, other_end in busy
    )


def candidate_slots(availability: Availability, first_day: date, last_day: date) -> list[Slot]:
    """Every slot the weekly hours give between the days, holidays and days off left out."""
    length = timedelta(minutes=availability.slot_minutes)
    step = length + timedelta(minutes=availability.buffer_minutes)
    hours: dict[int, list[WeeklyHours]] = {}
    for row in availability.weekly_hours.all():
        hours.setdefault(row.weekday, []).append(row)
    days_off: list[DayOff | Absence] = [
        *DayOff.objects.filter(
            availability=availability, last_day__gte=first_day, first_day__lte=last_day
        ),
        *Absence.objects.filter(
            user=availability.supervisor, last_day__gte=first_day, first_day__lte=last_day
        ),
    ]
    public_holidays = finnish_holidays(first_day, last_day)
    slots: list[Slot] = []
    day = first_day
    while day <= last_day:
        off = day in public_holidays or any(d.first_day <= day <= d.last_day for d in days_off)
        for row in [] if off else hours.get(day.weekday(), []):
            start = _local(day, row.starts)
            closes = _local(day, row.ends)
            while start + length <= closes:
                slots.append((start, start + length))
                start += step
        day += timedelta(days=1)
    return slots


def free_slots(availability: Availability, now: datetime) -> list[Slot]:
    """The slots a visitor may book now."""
    today = timezone.localdate(now)
    last_day = today + timedelta(days=availability.horizon_days)
    earliest = now + timedelta(hours=availability.min_notice_hours)
    slots = [slot for slot in candidate_slots(availability, today, last_day) if slot[0] >= earliest]
    if not slots:
        return []
    busy = _busy(availability, slots[0][0], slots[-1][1])
    buffer = timedelta(minutes=availability.buffer_minutes)
    return [slot for slot in slots if not _clashes(slot, busy, buffer)]


def is_free(availability: Availability, start: datetime, now: datetime) -> Slot | None:
    """The free slot that starts at ``start``, or None."""
    day = timezone.localdate(start)
    if start < now + timedelta(hours=availability.min_notice_hours):
        return None
    if day > timezone.localdate(now) + timedelta(days=availability.horizon_days):
        return None
    for slot in candidate_slots(availability, day, day):
        if slot[0] == start:
            buffer = timedelta(minutes=availability.buffer_minutes)
            return None if _clashes(slot, _busy(availability, *slot), buffer) else slot
    return None

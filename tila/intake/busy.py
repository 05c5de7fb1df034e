"""Booked first conversations keep the supervisor busy when she plans meetings (registered
with ``tila.meetings.busy``)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.intake.models import Booking, BookingStatus
from tila.meetings.busy import BusyTime, Slot


def booked_conversations(supervisor: User, slots: list[Slot]) -> list[BusyTime]:
    overlapping = Q()
    for start, end in slots:
        overlapping |= Q(start__lt=end, end__gt=start)
    bookings = Booking.objects.filter(
        overlapping, supervisor=supervisor, status=BookingStatus.CONFIRMED
    )
    return [
        BusyTime(
            start=booking.start,
            end=booking.end,
            label=_("a booked first conversation (%(name)s)") % {"name": booking.name},
        )
        for booking in bookings
    ]

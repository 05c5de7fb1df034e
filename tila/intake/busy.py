"""Booked first conversations keep the supervisor busy when she plans meetings (registered
with ``tila.meetings.busy``)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.intake.models import Booking, BookingStatus
from tila.meetings.busy import BusyTime, Slot
from tila.practices.models import Practice


def booked_conversations(supervisor: User, slots: list[Slot], practice: Practice) -> list[BusyTime]:
    """Her confirmed bookings that overlap the slots; the name of the one who booked only
    for the practice she booked with."""
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
            label=_("a booked first conversation (%(name)s)") % {"name": booking.name}
            if booking.practice_id == practice.pk
            else _("a booked first conversation"),
        )
        for booking in bookings
    ]

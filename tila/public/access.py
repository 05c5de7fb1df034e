"""The public side: every view is open to anyone, but only for a practice whose owner has
published its page; any other address is 404."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.intake.models import Availability, Booking
from tila.practices.models import Practice


def published_practice(slug: str) -> Practice:
    return get_object_or_404(
        Practice.objects.select_related("availability", "availability__supervisor"),
        slug=slug,
        availability__published=True,
    )


def availability_of(practice: Practice) -> Availability:
    availability: Availability = practice.availability
    return availability


def public_booking(practice: Practice, booking_uuid: UUID) -> Booking:
    """A booking's confirmation page: found by its unguessable UUID in the practice."""
    return get_object_or_404(Booking.objects.filter(practice=practice), uuid=booking_uuid)

"""Shared builders for the public page, inquiries and bookings."""

import time
from datetime import time as clock
from typing import Any

from django.core.cache import cache

from tila.intake.actions import InquiryDetails, submit_inquiry
from tila.intake.models import Availability, Inquiry, WeeklyHours
from tila.practices.models import Practice
from tila.public.spam import started_token


def publish(practice: Practice, supervisor: Any, *, booking: bool = True) -> Availability:
    """Publish the practice's page; conversations bookable on weekdays 9–12, 30 min + 15."""
    availability, _created = Availability.objects.update_or_create(
        practice=practice,
        defaults={
            "supervisor": supervisor,
            "published": True,
            "booking_open": booking,
            "slot_minutes": 30,
            "buffer_minutes": 15,
            "min_notice_hours": 24,
            "horizon_days": 28,
        },
    )
    availability.weekly_hours.all().delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(availability=availability, weekday=day, starts=clock(9), ends=clock(12))
        for day in range(5)
    )
    return availability


def old_token(seconds: float = 60) -> str:
    """A form timestamp as if the form had been open for ``seconds``."""
    return started_token(time.time() - seconds)


def inquiry_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "asker": "organisation",
        "name": "Kaisa Esimies",
        "organisation": "Päiväkoti Satakieli",
        "email": "kaisa@example.test",
        "phone": "040 765 4321",
        "for_whom": "team",
        "group_size": "8",
        "form": "team",
        "need": "Tiimimme on kasvanut ja työnjako on epäselvä.",
        "preferred_times": "tiistai-iltapäivät",
        "mode": "on_site",
        "website": "",
        "started": old_token(),
    }
    data.update(overrides)
    return data


def make_inquiry(practice: Practice, **overrides: Any) -> Inquiry:
    details: dict[str, Any] = {
        "asker": "organisation",
        "name": "Kaisa Esimies",
        "organisation": "Päiväkoti Satakieli",
        "email": "kaisa@example.test",
        "for_whom": "team",
        "need": "Tiimimme on kasvanut ja työnjako on epäselvä.",
        "mode": "on_site",
        "form": "team",
    }
    details.update(overrides)
    return submit_inquiry(practice=practice, details=InquiryDetails(**details))


def forget_rate_limits() -> None:
    cache.clear()

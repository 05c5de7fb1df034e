"""Free first conversations: which slots are free, booking one, and the confirmation mail."""

from datetime import date, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import at
from tests.intake_helpers import old_token, publish
from tests.mail_helpers import body
from tila.intake.models import Booking, DayOff
from tila.intake.slots import free_slots

# Monday 14.12.2026 at noon.
NOW = at(2026, 12, 14, 12)


def starts(availability) -> set[datetime]:
    return {slot[0] for slot in free_slots(availability, NOW)}


def test_slots_leave_out_holidays_days_off_notice_and_busy_times(world):
    availability = publish(world.practice, world.owner)
    free = starts(availability)
    # Weekdays 9–12: 30 min + 15 min buffer gives 9.00, 9.45, 10.30, 11.15.
    assert at(2026, 12, 16, 9) in free and at(2026, 12, 16, 11, 15) in free
    assert at(2026, 12, 16, 12) not in free
    # Minimum notice of 24 h: nothing on Monday or before Tuesday noon.
    assert at(2026, 12, 15, 11, 15) not in free
    # Christmas Day (Fri 25.12.) and Epiphany (Wed 6.1.) are public holidays.
    assert not {s for s in free if s.date() in (date(2026, 12, 25), date(2027, 1, 6))}
    assert at(2026, 12, 28, 9) in free
    DayOff.objects.create(
        availability=availability, first_day=date(2026, 12, 28), last_day=date(2026, 12, 29)
    )
    assert at(2026, 12, 28, 9) not in starts(availability)


def test_a_meeting_blocks_the_slots_it_overlaps_with_the_buffer(world):
    availability = publish(world.practice, world.owner)
    # The world's meeting is Tue 1.12.2026 9.00–10.30; look from Mon 23.11.
    with time_machine.travel(at(2026, 11, 23, 8), tick=False):
        free = {slot[0] for slot in free_slots(availability, at(2026, 11, 23, 8))}
    assert at(2026, 12, 1, 9) not in free
    assert at(2026, 12, 1, 9, 45) not in free
    assert at(2026, 12, 1, 10, 30) not in free  # within the 15-minute buffer
    assert at(2026, 12, 1, 11, 15) in free
    assert at(2026, 12, 2, 9) in free


def book(world, start, **extra) -> Any:
    data = {
        "slot": start.isoformat(),
        "name": "Ville Vierailija",
        "email": "ville@example.test",
        "started": old_token(),
        "website": "",
    }
    data.update(extra)
    return HttpClient().post(reverse("public_booking", args=[world.practice.slug]), data)


def test_a_visitor_books_a_slot_and_gets_a_confirmation(
    world, smtp_server, django_capture_on_commit_callbacks
):
    publish(world.practice, world.owner)
    slot = at(2026, 12, 16, 9, 45)
    with time_machine.travel(NOW, tick=True), django_capture_on_commit_callbacks(execute=True):
        response = book(world, slot)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/book/{booking.uuid}/")
    assert (booking.start, booking.supervisor) == (slot, world.owner)
    smtp_server.wait_for(2)
    [confirmation] = smtp_server.to("ville@example.test")
    assert "ke 16.12.2026 klo 9.45" in body(confirmation)
    assert smtp_server.to("anna@example.test")
    with time_machine.travel(NOW, tick=True):
        assert slot not in starts(publish(world.practice, world.owner))


def test_the_second_booking_of_a_slot_gets_a_clear_message(world):
    publish(world.practice, world.owner)
    slot = at(2026, 12, 16, 9)
    with time_machine.travel(NOW, tick=True):
        assert book(world, slot).status_code == 302
        second = book(world, slot, email="toinen@example.test")
    assert second.status_code == 409
    assert "joku muu varasi ajan" in second.content.decode()
    assert Booking.objects.count() == 1


def test_a_time_not_on_offer_is_refused(world):
    publish(world.practice, world.owner)
    with time_machine.travel(NOW, tick=True):
        odd = book(world, at(2026, 12, 16, 9, 10))
        past = book(world, at(2026, 12, 1, 9))
        garbage = book(world, at(2026, 12, 16, 9), slot="25:61 tomorrow")
    assert odd.status_code == 409
    assert past.status_code == 200 and "mennyt" in past.content.decode()
    assert (
        garbage.status_code == 200 and "Valitse jokin vapaista ajoista" in garbage.content.decode()
    )
    assert not Booking.objects.exists()


def test_the_database_refuses_two_confirmed_bookings_of_one_start(world):
    import pytest
    from django.db import IntegrityError, transaction

    start = at(2026, 12, 16, 9)
    fields = {"practice": world.practice, "supervisor": world.owner, "start": start}
    Booking.objects.create(**fields, end=start + timedelta(minutes=30), name="A", email="a@x.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            **fields, end=start + timedelta(minutes=30), name="B", email="b@x.test"
        )
    Booking.objects.create(
        **fields, end=start + timedelta(minutes=30), name="C", email="c@x.test", status="cancelled"
    )

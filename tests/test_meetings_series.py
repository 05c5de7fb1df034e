"""A series of meetings passes over Finnish public holidays and the supervisor's absences,
and shows before saving what each time would clash with: her other meetings and booked
first conversations. The supervisor records her absences on a page of her own."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from tests.factories import World, add_member, at
from tests.intake_helpers import publish
from tila.intake.actions import book_slot
from tila.intake.slots import free_slots
from tila.meetings import actions
from tila.meetings.models import Absence, Meeting
from tila.practices.models import Membership, Role


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        yield


def plan_url(world: World) -> str:
    return reverse("plan_meetings", args=[world.contract.uuid])


def thursdays(**changes: str) -> dict[str, str]:
    """Weekly on Thursdays at 13.00 from 17.12.2026: the second falls on Christmas Eve."""
    data = {
        "start": "2026-12-17T13:00",
        "minutes": "90",
        "every_weeks": "1",
        "count": "3",
        "place": "Kuusela",
        "remote_link": "",
    }
    data.update(changes)
    return data


def planned_days(world: World) -> list[date]:
    meetings = Meeting.objects.filter(contract=world.contract).exclude(pk=world.meeting.pk)
    return [timezone.localdate(m.start) for m in meetings.order_by("start")]


def record_absence(world: World, first: date, last: date) -> Absence:
    membership = Membership.objects.get(practice=world.practice, user=world.owner)
    return actions.record_absence(membership=membership, first_day=first, last_day=last)


def test_the_preview_passes_over_a_public_holiday_and_says_which(
    world: World, owner_client: HttpClient
):
    response = owner_client.post(plan_url(world), {**thursdays(), "preview": "1"})
    page = response.content.decode()
    rows = response.context["preview"]
    assert [(timezone.localdate(r.start), r.passed_over) for r in rows] == [
        (date(2026, 12, 17), ""),
        (date(2026, 12, 24), "public holiday: Christmas Eve"),
        (date(2026, 12, 31), ""),
        (date(2027, 1, 7), ""),
    ]
    assert "Passed over" in page and "Public holiday: Christmas Eve" in page
    assert not Meeting.objects.filter(contract=world.contract).exclude(pk=world.meeting.pk)


def test_the_holiday_is_named_in_finnish_for_a_finnish_supervisor(
    world: World, owner_client: HttpClient, settings
):
    settings.LANGUAGE_CODE = "fi"
    response = owner_client.post(plan_url(world), {**thursdays(), "preview": "1"})
    assert "Arkipyhä: Jouluaatto" in response.content.decode()


def test_saving_plans_the_series_around_the_holiday_and_her_absence(
    world: World, owner_client: HttpClient
):
    record_absence(world, date(2026, 12, 28), date(2027, 1, 3))
    preview = owner_client.post(plan_url(world), {**thursdays(), "preview": "1"})
    assert "Your absence 28.12.2026–3.1.2027" in preview.content.decode()
    response = owner_client.post(plan_url(world), thursdays())
    assert response.status_code == 302
    assert planned_days(world) == [date(2026, 12, 17), date(2027, 1, 7), date(2027, 1, 14)]


def test_she_may_choose_to_plan_on_days_off_too(world: World, owner_client: HttpClient):
    response = owner_client.post(plan_url(world), thursdays(on_days_off="on"))
    assert response.status_code == 302
    assert planned_days(world) == [date(2026, 12, 17), date(2026, 12, 24), date(2026, 12, 31)]


def test_another_supervisors_absence_does_not_move_her_series(
    world: World, owner_client: HttpClient
):
    colleague = Membership.objects.get(practice=world.practice, user__email="kollega@example.test")
    actions.record_absence(
        membership=colleague, first_day=date(2026, 12, 28), last_day=date(2027, 1, 3)
    )
    owner_client.post(plan_url(world), thursdays())
    assert date(2026, 12, 31) in planned_days(world)


def test_a_booked_first_conversation_blocks_planning_and_the_preview_shows_it(
    world: World, owner_client: HttpClient
):
    availability = publish(world.practice, world.owner)
    booking = book_slot(
        availability=availability,
        start=at(2026, 11, 10, 9, 45),
        name="Ville Varaaja",
        email="v@x.fi",
    )
    data = {**thursdays(), "start": "2026-11-10T09:30", "count": "1"}
    preview = owner_client.post(plan_url(world), {**data, "preview": "1"})
    [row] = preview.context["preview"]
    assert [busy.start for busy in row.busy] == [booking.start]
    assert "a booked first conversation (Ville Varaaja)" in preview.content.decode()

    response = owner_client.post(plan_url(world), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "Tue 10.11.2026 at 9:30–11:00 overlaps a booked first conversation (Ville Varaaja): "
        "Tue 10.11.2026 at 9:45–10:15."
    ]
    assert planned_days(world) == []


def test_a_meeting_cannot_be_moved_onto_a_booked_conversation(world: World):
    availability = publish(world.practice, world.owner)
    book_slot(availability=availability, start=at(2026, 11, 10, 9, 45), name="V", email="v@x.fi")
    with pytest.raises(actions.MeetingConflict) as refused:
        actions.move_meeting(
            meeting=world.meeting,
            start=at(2026, 11, 10, 9),
            end=at(2026, 11, 10, 10, 30),
            place="",
            remote_link="",
            actor=world.owner,
        )
    assert len(refused.value.busy) == 1
    world.meeting.refresh_from_db()
    assert world.meeting.start == at(2026, 12, 1)


def test_a_cancelled_booking_blocks_nothing(world: World):
    availability = publish(world.practice, world.owner)
    booking = book_slot(
        availability=availability, start=at(2026, 11, 10, 9, 45), name="V", email="v@x.fi"
    )
    booking.status = "cancelled"
    booking.save()
    [meeting] = actions.plan_meetings(
        contract=world.contract,
        supervisor=world.owner,
        slots=[(at(2026, 11, 10, 9), at(2026, 11, 10, 10, 30))],
        place="",
        remote_link="",
        actor=world.owner,
    )
    assert meeting.pk


def test_the_preview_marks_an_overlap_with_her_other_meeting(
    world: World, owner_client: HttpClient
):
    data = {**thursdays(), "start": "2026-12-01T10:00", "count": "1"}
    response = owner_client.post(plan_url(world), {**data, "preview": "1"})
    [row] = response.context["preview"]
    assert row.clashes == [world.meeting]
    assert "another meeting Tue 1.12.2026 at 9:00–10:30" in response.content.decode()


def test_her_absence_closes_her_bookable_hours(world: World):
    availability = publish(world.practice, world.owner)
    record_absence(world, date(2026, 11, 9), date(2026, 11, 13))
    days = {timezone.localdate(start) for start, _end in free_slots(availability, timezone.now())}
    assert days and not days & {date(2026, 11, 9) + timedelta(days=n) for n in range(5)}
    assert date(2026, 11, 16) in days


def test_she_records_lists_and_removes_her_absences(world: World, owner_client: HttpClient):
    url = reverse("absences")
    response = owner_client.post(url, {"first_day": "2026-12-28", "last_day": "2027-01-03"})
    assert response.status_code == 302
    [absence] = Absence.objects.filter(user=world.owner)
    assert (absence.first_day, absence.last_day) == (date(2026, 12, 28), date(2027, 1, 3))
    assert absence.practice == world.practice
    assert "Mon 28.12.2026 – Sun 3.1.2027" in owner_client.get(url).content.decode()
    owner_client.post(reverse("delete_absence", args=[absence.uuid]))
    assert not Absence.objects.exists()


def test_bad_absence_dates_are_refused_with_a_message(world: World, owner_client: HttpClient):
    response = owner_client.post(
        reverse("absences"), {"first_day": "2027-01-03", "last_day": "2026-12-28"}
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    response = owner_client.post(reverse("absences"), {"first_day": "31.2.2026", "last_day": ""})
    assert response.status_code == 200
    assert not Absence.objects.exists()


def test_a_colleague_cannot_see_or_remove_her_absences(
    world: World, owner_client: HttpClient, colleague_client: HttpClient
):
    absence = record_absence(world, date(2026, 12, 28), date(2027, 1, 3))
    assert "28.12.2026" not in colleague_client.get(reverse("absences")).content.decode()
    response = colleague_client.post(reverse("delete_absence", args=[absence.uuid]))
    assert response.status_code == 404
    assert Absence.objects.filter(pk=absence.pk).exists()


def test_a_booking_with_her_other_practice_blocks_but_names_no_one(
    world: World, owner_client: HttpClient
):
    add_member(world.other_practice, world.owner, Role.SUPERVISOR)
    availability = publish(world.other_practice, world.owner)
    book_slot(
        availability=availability,
        start=at(2026, 11, 10, 9, 45),
        name="Ville Varaaja",
        email="v@x.fi",
    )
    data = {**thursdays(), "start": "2026-11-10T09:30", "count": "1"}
    response = owner_client.post(plan_url(world), data)
    assert response.context["form"].non_field_errors() == [
        "Tue 10.11.2026 at 9:30–11:00 overlaps a booked first conversation: "
        "Tue 10.11.2026 at 9:45–10:15."
    ]
    assert "Ville" not in response.content.decode()
    assert planned_days(world) == []

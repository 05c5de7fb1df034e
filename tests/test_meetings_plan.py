"""Planning meetings for a contract: one or a series, all or nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import World, at, make_meeting
from tila.contracts.models import ContractEvent, EventKind, Status
from tila.lib.templatetags.tila import clock, when
from tila.meetings import actions, queries
from tila.meetings.models import Meeting, MeetingStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(2026, 9, 1, 8), tick=False):
        yield


def plan_url(world: World) -> str:
    return reverse("plan_meetings", args=[world.contract.uuid])


def series(start: str = "2026-09-08T13:00", **changes: str) -> dict[str, str]:
    data = {
        "start": start,
        "minutes": "90",
        "every_weeks": "3",
        "count": "10",
        "place": "Päiväkoti Kuusela, neuvotteluhuone",
        "remote_link": "",
    }
    data.update(changes)
    return data


def slot(start, minutes: int = 90) -> str:
    with translation.override("en"):
        return f"{when(start)}–{clock(start + timedelta(minutes=minutes))}"


def test_the_form_offers_the_contracts_length_rhythm_remaining_count_and_place(
    world: World, owner_client: HttpClient
):
    world.contract.place = "Kuusela"
    world.contract.save()
    response = owner_client.get(plan_url(world))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["minutes"].value() == 90
    assert form["every_weeks"].value() == 3
    assert form["count"].value() == 9  # ten in the contract, one already planned
    assert form["place"].value() == "Kuusela"
    assert "9 of its 10 meetings left" in response.content.decode()


def test_owner_plans_ten_meetings_every_three_weeks(world: World, owner_client: HttpClient):
    response = owner_client.post(plan_url(world), series())
    assert response.status_code == 302
    planned = list(
        Meeting.objects.filter(contract=world.contract)
        .exclude(pk=world.meeting.pk)
        .order_by("start")
    )
    assert len(planned) == 10
    assert [timezone.localtime(m.start).date() for m in planned[:3]] == [
        at(2026, 9, 8).date(),
        at(2026, 9, 29).date(),
        at(2026, 10, 20).date(),
    ]
    # Thirteen o'clock on both sides of the change from summer time (25.10.2026).
    assert {timezone.localtime(m.start).hour for m in planned} == {13}
    assert all(m.minutes == 90 for m in planned)
    assert all(m.status == MeetingStatus.PLANNED for m in planned)
    assert all(m.supervisor == world.owner for m in planned)
    assert all(m.place == "Päiväkoti Kuusela, neuvotteluhuone" for m in planned)
    event = ContractEvent.objects.get(contract=world.contract, kind=EventKind.MEETINGS_PLANNED)
    assert event.actor == world.owner
    assert event.data["count"] == 10
    assert event.data["first"] == at(2026, 9, 8, 13).isoformat()
    assert len(event.data["meetings"]) == 10


def test_one_meeting_can_be_planned(world: World, assistant_client: HttpClient):
    response = assistant_client.post(plan_url(world), series(count="1"))
    assert response.status_code == 302
    assert Meeting.objects.filter(contract=world.contract).count() == 2


def test_preview_lists_the_times_and_saves_nothing(world: World, owner_client: HttpClient):
    response = owner_client.post(plan_url(world), {**series(count="3"), "preview": "1"})
    assert response.status_code == 200
    assert len(response.context["preview"]) == 3
    assert slot(at(2026, 9, 29, 13)) in response.content.decode()
    assert Meeting.objects.filter(contract=world.contract).count() == 1


def test_a_clash_is_named_and_nothing_is_saved(world: World, owner_client: HttpClient):
    # The fifth meeting, 1.12.2026 10.00, overlaps the meeting at 9.00–10.30.
    response = owner_client.post(plan_url(world), series(start="2026-09-08T10:00"))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert slot(at(2026, 12, 1, 10)) in errors[0]
    assert slot(at(2026, 12, 1, 9)) in errors[0]
    assert slot(at(2026, 12, 1, 10)) in response.content.decode()
    assert Meeting.objects.filter(contract=world.contract).count() == 1
    assert not ContractEvent.objects.filter(kind=EventKind.MEETINGS_PLANNED).exists()


def test_the_preview_shows_the_clash_too(world: World, owner_client: HttpClient):
    response = owner_client.post(
        plan_url(world), {**series(start="2026-09-08T10:00"), "preview": "1"}
    )
    preview = response.context["preview"]
    assert [len(row.clashes) for row in preview].count(1) == 1
    assert response.context["form"].non_field_errors()


def test_the_database_refusal_becomes_a_form_error_too(
    world: World, owner_client: HttpClient, monkeypatch: pytest.MonkeyPatch
):
    """If another request planned an overlapping meeting after the check, the database
    refuses the insert; the action turns that into the same clear error."""
    real = queries.find_clashes
    calls: list[int] = []

    def blind_first_time(*args, **kwargs):
        calls.append(1)
        return [] if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(actions, "find_clashes", blind_first_time)
    response = owner_client.post(plan_url(world), series(start="2026-09-08T10:00"))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert slot(at(2026, 12, 1, 10)) in errors[0]
    assert len(calls) == 2
    assert Meeting.objects.filter(contract=world.contract).count() == 1


def test_cancelled_meetings_do_not_block_the_time(world: World, owner_client: HttpClient):
    Meeting.objects.filter(pk=world.meeting.pk).update(
        status=MeetingStatus.CANCELLED, cancelled_at=at(2026, 11, 1)
    )
    response = owner_client.post(plan_url(world), series(start="2026-09-08T10:00"))
    assert response.status_code == 302
    assert Meeting.objects.filter(contract=world.contract).count() == 11


def test_another_supervisors_meeting_at_the_same_time_is_no_clash(
    world: World, colleague_client: HttpClient
):
    make_meeting(world.contract, world.owner, at(2026, 9, 8, 13))
    url = reverse("plan_meetings", args=[world.colleague_contract.uuid])
    response = colleague_client.post(url, series(count="1"))
    assert response.status_code == 302
    assert world.colleague_contract.meetings.get().supervisor == world.colleague


@pytest.mark.parametrize(
    ("field", "value"),
    [("minutes", "0"), ("minutes", "-30"), ("every_weeks", "0"), ("count", "0"), ("start", "")],
)
def test_bad_input_is_refused_with_a_message(
    world: World, owner_client: HttpClient, field: str, value: str
):
    response = owner_client.post(plan_url(world), series(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Meeting.objects.filter(contract=world.contract).count() == 1


def test_an_ended_contract_gets_no_more_meetings(world: World, owner_client: HttpClient):
    world.contract.status = Status.ENDED
    world.contract.save()
    response = owner_client.post(plan_url(world), series(count="1"))
    assert response.status_code == 200
    assert "has ended" in response.context["form"].non_field_errors()[0]
    assert Meeting.objects.filter(contract=world.contract).count() == 1


def test_a_contract_with_two_supervisors_asks_whose_meetings(
    world: World, owner_client: HttpClient
):
    world.contract.supervisors.add(world.colleague)
    response = owner_client.post(
        plan_url(world), series(count="1", supervisor=str(world.colleague.uuid))
    )
    assert response.status_code == 302
    planned = world.contract.meetings.get(start=at(2026, 9, 8, 13))
    assert planned.supervisor == world.colleague


def test_the_series_keeps_its_local_time_over_the_change_to_summer_time():
    slots = actions.meeting_series(
        first_start=at(2027, 3, 16, 9), minutes=90, every_weeks=2, count=2
    )
    assert [timezone.localtime(start).hour for start, _end in slots] == [9, 9]
    assert [end - start for start, end in slots] == [timedelta(minutes=90)] * 2


def test_another_practice_cannot_plan_for_the_contract(world: World, other_client: HttpClient):
    assert other_client.get(plan_url(world)).status_code == 404
    assert other_client.post(plan_url(world), series(count="1")).status_code == 404
    assert Meeting.objects.filter(contract=world.contract).count() == 1


def test_a_colleague_cannot_plan_for_annas_contract(world: World, colleague_client: HttpClient):
    assert colleague_client.get(plan_url(world)).status_code == 404
    assert colleague_client.post(plan_url(world), series(count="1")).status_code == 404

"""The supervisees' portal: own meetings, goals, terms and shared summaries — never notes."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.audit.models import Action, AuditEvent
from tila.contracts.models import Contract
from tila.meetings.models import Meeting, MeetingStatus
from tila.notes.actions import create_note, save_note

SUMMARY_OCTOBER = "Yhteenveto lokakuu: sovimme palautekierroksesta"
SUMMARY_NOVEMBER = "Yhteenveto marraskuu: perehdytyksen malli"
PRIVATE_TEXT = "Oma muistiinpano: Jäsen 2 vaikutti väsyneeltä"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def held_meeting(world: World, month: int) -> Meeting:
    meeting = make_meeting(world.contract, world.owner, at(2026, month, 1))
    meeting.status = MeetingStatus.HELD
    meeting.save()
    return meeting


def write_note(world: World, meeting: Meeting, kind: str, text: str) -> None:
    note = create_note(
        contract=world.contract, meeting=meeting, kind=kind, outline="blank", actor=world.owner
    )
    save_note(note=note, text=text, actor=world.owner)


@pytest.fixture
def history(world: World) -> tuple[Meeting, Meeting]:
    """Meetings held on 1.10. and 1.11.2026, each with a shared summary and a private note."""
    october, november = held_meeting(world, 10), held_meeting(world, 11)
    write_note(world, october, "summary", SUMMARY_OCTOBER)
    write_note(world, november, "summary", SUMMARY_NOVEMBER)
    write_note(world, november, "private", PRIVATE_TEXT)
    return october, november


def contract_url(contract: Contract) -> str:
    return reverse("portal_contract", args=[contract.uuid])


@pytest.mark.django_db
def test_a_supervisee_sees_her_meetings_upcoming_first_with_their_numbers(
    world: World, history: tuple[Meeting, Meeting]
) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    response = http.get(reverse("portal_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.contract.title in page
    assert contract_url(world.contract) in page
    upcoming, latest, earliest = (
        page.index("1.12.2026"),
        page.index("1.11.2026"),
        page.index("1.10.2026"),
    )
    assert upcoming < latest < earliest
    assert "1/10" in page and "2/10" in page and "3/10" in page
    for text in (SUMMARY_OCTOBER, SUMMARY_NOVEMBER, PRIVATE_TEXT):
        assert text not in page
    assert str(world.other_contract.uuid) not in page


@pytest.mark.django_db
def test_the_contract_page_shows_goals_terms_and_summaries_but_never_a_private_note(
    world: World, history: tuple[Meeting, Meeting]
) -> None:
    supervisee = member_of(world.contract)
    http = log_in_as(supervisee, world.owner)
    before = AuditEvent.objects.filter(action=Action.READ).count()
    response = http.get(contract_url(world.contract))
    assert response.status_code == 200
    page = response.content.decode()
    for goal in world.contract.goals.all():
        assert goal.text in page
    assert SUMMARY_OCTOBER in page and SUMMARY_NOVEMBER in page
    assert PRIVATE_TEXT not in page
    assert world.owner.name in page
    reads = AuditEvent.objects.filter(action=Action.READ).order_by("id")[before:]
    assert [event.object_type for event in reads] == ["notes.Note", "notes.Note"]
    assert {event.actor_id for event in reads} == {supervisee.person.supervisee_account.user_id}


@pytest.mark.django_db
def test_a_member_who_left_sees_only_summaries_up_to_her_leaving(
    world: World, history: tuple[Meeting, Meeting]
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    member.left_on = date(2026, 10, 15)
    member.save()
    page = http.get(contract_url(world.contract)).content.decode()
    assert SUMMARY_OCTOBER in page
    assert SUMMARY_NOVEMBER not in page
    home = http.get(reverse("portal_home")).content.decode()
    assert contract_url(world.contract) not in home
    assert "1.12.2026" not in home


@pytest.mark.django_db
def test_a_member_who_joined_later_sees_neither_earlier_meetings_nor_their_summaries(
    world: World, history: tuple[Meeting, Meeting]
) -> None:
    member = member_of(world.contract)
    member.joined_on = date(2026, 10, 20)
    member.save()
    http = log_in_as(member, world.owner)
    page = http.get(contract_url(world.contract)).content.decode()
    assert SUMMARY_NOVEMBER in page
    assert SUMMARY_OCTOBER not in page
    home = http.get(reverse("portal_home")).content.decode()
    assert "1.11.2026" in home
    assert "1.10.2026" not in home


@pytest.mark.django_db
def test_a_supervisee_of_another_group_gets_404_for_the_contract(
    world: World, history: tuple[Meeting, Meeting]
) -> None:
    same_practice = log_in_as(member_of(world.colleague_contract), world.colleague)
    assert same_practice.get(contract_url(world.contract)).status_code == 404
    other_practice = log_in_as(member_of(world.other_contract), world.other_owner)
    assert other_practice.get(contract_url(world.contract)).status_code == 404
    assert SUMMARY_OCTOBER not in other_practice.get(reverse("portal_home")).content.decode()


@pytest.mark.django_db
def test_users_without_a_supervisee_account_get_404_in_the_portal(
    world: World,
    owner_client: HttpClient,
    assistant_client: HttpClient,
    colleague_client: HttpClient,
    other_client: HttpClient,
) -> None:
    for http in (owner_client, assistant_client, colleague_client, other_client):
        assert http.get(reverse("portal_home")).status_code == 404
        assert http.get(contract_url(world.contract)).status_code == 404


@pytest.mark.django_db
def test_the_portal_home_makes_the_same_number_of_queries_however_many_meetings(
    world: World,
) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    with CaptureQueriesContext(connection) as few:
        assert http.get(reverse("portal_home")).status_code == 200
    for month in (2, 3, 4, 5, 6):
        make_meeting(world.contract, world.owner, at(2027, month, 1))
    with CaptureQueriesContext(connection) as many:
        page = http.get(reverse("portal_home")).content.decode()
    assert "1.6.2027" in page
    assert len(many) == len(few) <= 10

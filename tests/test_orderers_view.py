"""The orderer's view: agreed terms, dates and agreed attendance, never content."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    World,
    at,
    make_contact,
    make_contract,
    make_meeting,
    make_organisation,
    make_team,
)
from tila.accounts.models import User
from tila.clients.models import Contact
from tila.contracts.models import Contract, Goal, GoalVisibility, OrdererVisibility, Status
from tila.meetings.models import Attendance, Meeting, MeetingStatus
from tila.notes.actions import create_note, save_note
from tila.orderers.actions import invite_contact
from tila.orderers.models import OrdererAccount

pytestmark = pytest.mark.django_db

# In Finnish: "Näet sopimuksen sovitut osat, tapaamisten päivämäärät ja sovitut
# osallistumistiedot. Keskustelujen sisältö on luottamuksellista."
PLAIN_WORDS_EN = (
    "You see the agreed parts of the contract, the dates of the meetings and the agreed "
    "attendance information. The content of the discussions is confidential."
)


def orderer_client(contact: Contact, actor: User) -> HttpClient:
    account = invite_contact(contact=contact, actor=actor)
    http = HttpClient()
    http.force_login(account.user)
    return http


@pytest.fixture
def orderer(world: World) -> HttpClient:
    """Kaisa, the contact person of practice A's orderer, invited and logged in."""
    return orderer_client(world.contact, world.owner)


def contract_url(contract: Contract) -> str:
    return reverse("orderer_contract", args=[contract.uuid])


def hold_meeting(meeting: Meeting, present: int) -> None:
    """Mark the meeting held with the first ``present`` members present, the rest absent."""
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    members = list(meeting.contract.client.members.order_by("person__name"))
    for index, member in enumerate(members):
        Attendance.objects.create(meeting=meeting, member=member, present=index < present)


def set_visibility(contract: Contract, visibility: str) -> None:
    contract.orderer_visibility = visibility
    contract.save(update_fields=["orderer_visibility"])


def test_the_orderer_sees_the_organisations_contracts(world: World, orderer: HttpClient):
    response = orderer.get(reverse("orderer_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.contract.title in page
    assert contract_url(world.contract) in page
    assert "0/10" in page  # meetings held of contracted
    assert contract_url(world.colleague_contract) not in page  # no orderer
    assert contract_url(world.other_contract) not in page
    orderer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = orderer.get(reverse("orderer_home")).content.decode()
    assert PLAIN_WORDS_EN in page


def test_the_plain_words_box_is_on_every_orderer_page(world: World, orderer: HttpClient):
    orderer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("orderer_home"), contract_url(world.contract)):
        assert PLAIN_WORDS_EN in orderer.get(url).content.decode()


def test_ended_contracts_come_last(world: World, orderer: HttpClient):
    ended = make_contract(
        world.practice, world.client, world.owner, world.organisation, world.contact, Status.ENDED
    )
    ended.title = "Päättynyt sopimus"
    ended.start_date = world.contract.start_date + timedelta(days=30)
    ended.save()
    page = orderer.get(reverse("orderer_home")).content.decode()
    assert page.index(world.contract.title) < page.index("Päättynyt sopimus")


def test_the_contract_page_shows_the_agreed_terms_and_shared_goals_only(
    world: World, orderer: HttpClient
):
    world.contract.buyer_reference = "VIITE-778"
    world.contract.cost_centre = "KP-4410"
    world.contract.save()
    response = orderer.get(contract_url(world.contract))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tampereen kaupunki · Kaisa Esimies" in page  # whose view this is
    assert world.client.name in page
    assert "Anna Aalto" in page
    assert "Työnohjaus 90 min" in page  # price line
    assert "240,00" in page
    assert "VIITE-778" in page and "KP-4410" in page
    assert "Yhteinen perustehtävä kirkastuu" in page  # shared with the orderer
    assert "Vuorovaikutus tiimissä paranee" not in page  # supervisees only
    assert "1.12.2026" in page  # the meeting's date


def test_attendance_nothing_shows_no_attendance(world: World, orderer: HttpClient):
    set_visibility(world.contract, OrdererVisibility.NOTHING)
    hold_meeting(world.meeting, present=4)
    page = orderer.get(contract_url(world.contract)).content.decode()
    assert "4/5" not in page
    assert "Jäsen" not in page
    assert 'data-label="Attendance"' not in page and 'data-label="Osallistuminen"' not in page


def test_attendance_counts_shows_how_many_were_present(world: World, orderer: HttpClient):
    set_visibility(world.contract, OrdererVisibility.COUNTS)
    hold_meeting(world.meeting, present=4)
    page = orderer.get(contract_url(world.contract)).content.decode()
    assert "4/5" in page
    assert "Jäsen" not in page


def test_attendance_names_shows_who_was_present(world: World, orderer: HttpClient):
    set_visibility(world.contract, OrdererVisibility.NAMES)
    hold_meeting(world.meeting, present=4)
    page = orderer.get(contract_url(world.contract)).content.decode()
    assert "Jäsen 1, Jäsen 2, Jäsen 3, Jäsen 4" in page
    assert "Jäsen 5" not in page  # absent
    assert "4/5" not in page


CANARY = "KANARIA-7f3e9b21"


@pytest.mark.parametrize("visibility", [OrdererVisibility.NOTHING, OrdererVisibility.COUNTS])
def test_canary_content_never_reaches_the_orderer(
    world: World, orderer: HttpClient, visibility: str
):
    contract = world.contract
    set_visibility(contract, visibility)
    hold_meeting(world.meeting, present=4)
    for kind in ("private", "summary"):
        note = create_note(
            contract=contract,
            meeting=world.meeting,
            kind=kind,
            outline="meeting",
            actor=world.owner,
        )
        save_note(note=note, text=f"{CANARY} {kind}", actor=world.owner)
    contract_note = create_note(
        contract=contract, meeting=None, kind="private", outline="blank", actor=world.owner
    )
    save_note(note=contract_note, text=f"{CANARY} contract", actor=world.owner)
    Goal.objects.create(
        contract=contract, text=f"{CANARY} goal", visibility=GoalVisibility.SUPERVISEES
    )
    for member in contract.client.members.select_related("person"):
        member.person.name = f"{CANARY} {member.person.name}"
        member.person.save()
    contract.methods = f"{CANARY} methods"
    contract.evaluation_plan = f"{CANARY} evaluation"
    contract.earlier_relationships = f"{CANARY} relationships"
    contract.save()
    cancelled = Meeting.objects.create(
        practice=contract.practice,
        contract=contract,
        supervisor=world.owner,
        start=world.meeting.start + timedelta(days=21),
        end=world.meeting.start + timedelta(days=21, minutes=90),
        status=MeetingStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancellation_reason=f"{CANARY} reason",
    )
    pages = [orderer.get(reverse("orderer_home")), orderer.get(contract_url(contract))]
    for response in pages:
        assert response.status_code == 200
        assert CANARY not in response.content.decode()
    assert cancelled.start.astimezone(timezone.get_current_timezone()).strftime("%-d.%-m.%Y") in (
        pages[1].content.decode()
    )


def test_a_contact_of_another_organisation_does_not_find_the_contract(world: World):
    elsewhere = make_organisation(world.practice, "Lempäälän kunta")
    stranger = orderer_client(make_contact(elsewhere), world.owner)
    assert stranger.get(contract_url(world.contract)).status_code == 404
    page = stranger.get(reverse("orderer_home")).content.decode()
    assert world.contract.title not in page


def test_a_contact_of_another_practice_does_not_find_the_contract(world: World):
    other = Contact.objects.create(
        organisation=world.other_organisation, name="Olli Ostaja", email="olli@example.test"
    )
    stranger = orderer_client(other, world.other_owner)
    assert stranger.get(contract_url(world.contract)).status_code == 404
    assert stranger.get(contract_url(world.other_contract)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["owner_client", "assistant_client", "colleague_client", "other_client"]
)
def test_members_of_a_practice_without_an_orderer_account_get_404(
    world: World, persona: str, request: pytest.FixtureRequest
):
    http = request.getfixturevalue(persona)
    assert http.get(reverse("orderer_home")).status_code == 404
    assert http.get(contract_url(world.contract)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(world: World):
    response = HttpClient().get(reverse("orderer_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_orderer_does_not_reach_the_supervisors_pages(world: World, orderer: HttpClient):
    assert orderer.get(reverse("contract", args=[world.contract.uuid])).status_code == 404
    assert orderer.get(reverse("dashboard")).status_code == 403
    assert OrdererAccount.objects.count() == 1


# Session, user, the second-factor check, orderer's account, contracts.
HOME_QUERIES = 5


def test_orderer_home_queries_do_not_grow_with_contracts(
    world: World, orderer: HttpClient, django_assert_max_num_queries: Any
):
    with django_assert_max_num_queries(HOME_QUERIES):
        assert orderer.get(reverse("orderer_home")).status_code == 200
    for index in range(8):
        team = make_team(world.practice, world.organisation, size=2)
        contract = make_contract(
            world.practice, team, world.owner, world.organisation, world.contact
        )
        hold_meeting(make_meeting(contract, world.owner, at(2027, 1, index + 1)), present=1)
    with django_assert_max_num_queries(HOME_QUERIES):
        page = orderer.get(reverse("orderer_home")).content.decode()
    assert page.count("/orderer/contracts/") == 9
    assert page.count("1/10") == 8

"""A supervisee with data everywhere, in the world's team of five, for the privacy tests.

Saana is member 1 of the team: she has a portal login, sent a topic, attended the held
meeting (with three others; member 5 was absent), accepted the contract for the
supervisees, and has individual supervision of her own with a note."""

from dataclasses import dataclass
from datetime import date

import time_machine
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import PASSWORD, World, at, make_contract, make_meeting
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.actions import ensure_snapshot, record_acceptance
from tila.contracts.models import Contract, Party
from tila.journal.actions import write_entry
from tila.journal.models import Prompt
from tila.meetings.actions import mark_held
from tila.meetings.models import Meeting
from tila.notes.actions import create_note, save_note
from tila.notes.models import Note
from tila.portal.actions import invite_supervisee
from tila.portal.models import SuperviseeAccount
from tila.statements.actions import create_statement, release_statement
from tila.topics.actions import send_topic

NAME = "Saana Salainen"
EMAIL = "saana.salainen@example.test"
PHONE = "040 765 4321"
TOPIC = "KANARIA-AIHE: pelkään esihenkilön palautetta"
OTHER_TOPIC = "Toisen jäsenen aihe: työvuorolistat"
GROUP_NOTE = "Ryhmän muistiinpano: perustehtävä kirkastui"
SUMMARY = "Yhteenveto: sovimme palaverikäytännöistä"
INDIVIDUAL_NOTE = "KANARIA-YKSILÖ: Saanan oma prosessi etenee"
STATEMENT = "Työnohjaus on hyödyllistä ja sen kannattaa jatkua."
JOURNAL = "KANARIA-PÄIVÄKIRJA: uskalsin sanoa ei"


@dataclass
class Scene:
    person: Person
    member: ClientMember
    others: list[ClientMember]
    account: SuperviseeAccount
    group_note: Note
    summary: Note
    individual_client: Client
    individual_contract: Contract
    individual_note: Note


def _note(contract: Contract, meeting: Meeting, kind: str, text: str, world: World) -> Note:
    note = create_note(
        contract=contract, meeting=meeting, kind=kind, outline="blank", actor=world.owner
    )
    return save_note(note=note, text=text, actor=world.owner)


def build_scene(world: World) -> Scene:
    members = list(world.client.members.select_related("person").order_by("person__name"))
    member, others = members[0], members[1:]
    person = member.person
    person.name, person.email, person.phone = NAME, EMAIL, PHONE
    person.save()
    account = invite_supervisee(member=member, actor=world.owner)
    other_account = invite_supervisee(member=others[0], actor=world.owner)
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        send_topic(
            meeting=world.meeting,
            person=person,
            actor=account.user,
            text=TOPIC,
            share_with_group=True,
        )
        send_topic(
            meeting=world.meeting,
            person=others[0].person,
            actor=other_account.user,
            text=OTHER_TOPIC,
            share_with_group=True,
        )
    write_entry(person=person, prompt=Prompt.WENT_WELL, text=JOURNAL, actor=account.user)
    ensure_snapshot(world.contract)
    record_acceptance(
        contract=world.contract,
        actor=world.owner,
        version=1,
        party=Party.SUPERVISEES,
        accepted_by_name=NAME,
        accepted_at=at(2026, 8, 20),
    )
    with time_machine.travel(at(2026, 12, 1, 12), tick=False):
        mark_held(meeting=world.meeting, members=members, present=members[:4], actor=world.owner)
    group_note = _note(world.contract, world.meeting, "private", GROUP_NOTE, world)
    summary = _note(world.contract, world.meeting, "summary", SUMMARY, world)
    statement = create_statement(contract=world.contract, text=STATEMENT, actor=world.owner)
    release_statement(statement=statement, actor=world.owner)

    individual_client = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name=NAME
    )
    ClientMember.objects.create(client=individual_client, person=person, joined_on=date(2026, 1, 1))
    individual_contract = make_contract(world.practice, individual_client, world.owner)
    ensure_snapshot(individual_contract)
    individual_meeting = make_meeting(individual_contract, world.owner, at(2026, 10, 6))
    individual_note = _note(
        individual_contract, individual_meeting, "private", INDIVIDUAL_NOTE, world
    )
    return Scene(
        person=person,
        member=member,
        others=others,
        account=account,
        group_note=group_note,
        summary=summary,
        individual_client=individual_client,
        individual_contract=individual_contract,
        individual_note=individual_note,
    )


def reauthenticate(http: HttpClient) -> None:
    """Confirm the password again, as the export and erasure ask. (allauth counts the
    attempts in the cache: start each test afresh.)"""
    cache.clear()
    response = http.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content

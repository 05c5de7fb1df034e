"""The supervision statement for Kela's rehabilitative psychotherapy, read back from the PDF in
Finnish and in English."""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_contract, make_meeting
from tests.test_billing_certificates import QUALIFICATIONS, hold, pdf_text
from tila.audit.models import AuditEvent
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import Contract, Status
from tila.meetings.models import MeetingStatus
from tila.practices.models import Form

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def therapist_in_supervision(world: World) -> tuple[Person, Contract]:
    """Terhi, a psychotherapist, in individual therapy supervision every six weeks since
    2.3.2026 (90 minutes; three meetings held, one still planned), and a member of Anna's
    team, whose team supervision is not part of the statement."""
    person = Person.objects.create(practice=world.practice, name="Terhi Terapeutti")
    ClientMember.objects.create(client=world.client, person=person, joined_on=date(2026, 1, 1))
    client = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name=person.name
    )
    ClientMember.objects.create(client=client, person=person, joined_on=date(2026, 1, 1))
    contract = make_contract(world.practice, client, world.owner)
    Contract.objects.filter(pk=contract.pk).update(
        form=Form.THERAPY,
        title="Psykoterapeutin työnohjaus",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 12, 31),
        rhythm_weeks=6,
    )
    for month in (3, 4, 6):
        meeting = make_meeting(contract, world.owner, at(2026, month, 9, 15))
        meeting.status = MeetingStatus.HELD
        meeting.save()
    make_meeting(contract, world.owner, at(2026, 12, 8, 15))
    team_member = world.client.members.get(person=person)
    hold(make_meeting(world.contract, world.owner, at(2026, 9, 15, 13)), {team_member: True})
    world.practice.qualifications = QUALIFICATIONS
    world.practice.training = "Psykoterapeuttien työnohjaajakoulutus, 2017–2018"
    world.practice.save()
    return person, contract


def statement(http: HttpClient, person: Person, query: str = "") -> str:
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        response = http.get(reverse("kela_statement", args=[person.uuid]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"kela-statement{query.replace('?lang=', '-')}.pdf").write_bytes(response.content)
    return pdf_text(response.content)


def test_the_statement_in_finnish(world: World, owner_client: HttpClient):
    person, _contract = therapist_in_supervision(world)
    text = statement(owner_client, person)
    assert "Työnohjauslausunto" in text
    assert "Kelalle" in text and "kuntoutuspsykoterapia" in text
    assert "Ohjattava Terhi Terapeutti" in text
    assert "Työnohjaaja Anna Aalto" in text
    assert QUALIFICATIONS in text and "Psykoterapeuttien työnohjaajakoulutus, 2017–2018" in text
    assert "Työnohjaus alkanut 2.3.2026" in text
    assert "noin 0,7 kertaa kuukaudessa (6 viikon välein), 90 min kerrallaan" in text
    # Only the therapy supervision counts: three meetings of 90 minutes, not the team's.
    assert "3 tapaamista, yhteensä 4,50 tuntia (6,00 × 45 min)" in text
    assert "Viimeisten 12 kuukauden aikana 3 tapaamista" in text
    assert "Työnohjaus jatkuu; sopimus on voimassa 31.12.2026 asti." in text
    assert "Vahvistan, että Terhi Terapeutti on ollut työnohjauksessani 2.3.2026 alkaen" in text
    assert "Paikka ja aika" in text and "Työnohjaajan allekirjoitus" in text
    assert "20.11.2026" in text  # dated today
    event = AuditEvent.objects.filter(object_id=str(person.uuid)).latest("at")
    assert event.action == "export" and event.detail["document"] == "kela_statement"


def test_the_statement_in_english(world: World, owner_client: HttpClient):
    person, _contract = therapist_in_supervision(world)
    text = statement(owner_client, person, "?lang=en")
    assert "Supervision statement" in text
    assert "Supervisee Terhi Terapeutti" in text
    assert "Supervision began 2.3.2026" in text
    assert "about 0,7 times a month (every 6 weeks), 90 min at a time" in text
    assert "3 meetings, 4,50 hours in all (6,00 units of 45 min)" in text
    assert "The supervision continues; the contract runs until 31.12.2026." in text
    assert "Signature of the supervisor" in text


def test_an_ended_supervision_says_so(world: World, owner_client: HttpClient):
    person, contract = therapist_in_supervision(world)
    Contract.objects.filter(pk=contract.pk).update(status=Status.ENDED, end_date=date(2026, 10, 31))
    assert "Työnohjaus päättyi 31.10.2026." in statement(owner_client, person)


def test_an_open_ended_supervision_continues_until_further_notice(
    world: World, owner_client: HttpClient
):
    person, contract = therapist_in_supervision(world)
    Contract.objects.filter(pk=contract.pk).update(end_date=None, rhythm_weeks=1)
    text = statement(owner_client, person)
    assert "Työnohjaus jatkuu toistaiseksi." in text
    assert "noin 4,3 kertaa kuukaudessa (joka viikko)" in text


def test_no_statement_without_therapy_supervision(world: World, owner_client: HttpClient):
    person = world.client.members.select_related("person").get(person__name="Jäsen 1").person
    response = owner_client.get(reverse("kela_statement", args=[person.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("hours_ledger", args=[person.uuid])
    page = owner_client.get(response["Location"]).content.decode()
    assert "Hän ei ole terapiatyönohjauksessa" in page
    assert reverse("kela_statement", args=[person.uuid]) not in page


def test_the_ledger_page_offers_the_statement(world: World, owner_client: HttpClient):
    person, _contract = therapist_in_supervision(world)
    page = owner_client.get(reverse("hours_ledger", args=[person.uuid])).content.decode()
    assert reverse("kela_statement", args=[person.uuid]) in page
    assert reverse("kela_statement", args=[person.uuid]) + "?lang=en" in page


def test_only_her_supervisors_and_the_practice_see_it(
    world: World, colleague_client: HttpClient, other_client: HttpClient
):
    person, _contract = therapist_in_supervision(world)
    url = reverse("kela_statement", args=[person.uuid])
    assert colleague_client.get(url).status_code == 404
    assert other_client.get(url).status_code == 404

"""The supervisee's hours ledger across contracts and the certificate of supervision, read
back from the PDF."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import World, at, make_contract, make_meeting
from tila.audit.models import AuditEvent
from tila.billing.certificates import hours_ledger
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import Contract
from tila.meetings.models import Attendance, Meeting, MeetingStatus
from tila.practices.models import Form

pytestmark = pytest.mark.django_db

QUALIFICATIONS = "Työnohjaaja (STOry), psykoterapeutti (Valvira)"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def hold(meeting: Meeting, present: dict[ClientMember, bool]) -> None:
    meeting.status = MeetingStatus.HELD
    meeting.save()
    for member, was_present in present.items():
        Attendance.objects.create(meeting=meeting, member=member, present=was_present)


def supervisee_with_history(world: World) -> Person:
    """Jäsen 1 of Anna's team: present at two team meetings of 90 minutes (4 of 5 present),
    absent from a third, with a fourth still planned; and in individual supervision of her own
    (45 minutes, no attendance recorded)."""
    members = list(world.client.members.select_related("person").order_by("person__name"))
    person = members[0].person
    everyone = dict.fromkeys(members, True)
    everyone[members[4]] = False
    hold(make_meeting(world.contract, world.owner, at(2026, 9, 8, 13)), everyone)
    hold(make_meeting(world.contract, world.owner, at(2026, 9, 29, 13)), everyone)
    hold(
        make_meeting(world.contract, world.owner, at(2026, 10, 20, 13)),
        {**everyone, members[0]: False},
    )
    make_meeting(world.contract, world.owner, at(2026, 11, 10, 13))  # planned
    individual = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name=person.name
    )
    ClientMember.objects.create(client=individual, person=person, joined_on=date(2026, 1, 1))
    contract = make_contract(world.practice, individual, world.owner)
    Contract.objects.filter(pk=contract.pk).update(form=Form.INDIVIDUAL)
    meeting = make_meeting(contract, world.owner, at(2026, 11, 3, 8), minutes=45)
    meeting.status = MeetingStatus.HELD
    meeting.save()
    world.practice.qualifications = QUALIFICATIONS
    world.practice.save()
    return person


def test_the_ledger_counts_held_meetings_she_attended_across_contracts(world: World):
    person = supervisee_with_history(world)
    ledger = hours_ledger(person, Contract.objects.filter(practice=world.practice))
    assert [(row.day, row.minutes, row.individual, row.group_size) for row in ledger.rows] == [
        (date(2026, 9, 8), 90, False, 4),
        (date(2026, 9, 29), 90, False, 4),
        (date(2026, 11, 3), 45, True, 1),
    ]
    assert [row.units for row in ledger.rows] == [Decimal("2.00"), Decimal("2.00"), Decimal("1.00")]
    assert ledger.minutes == 225
    assert ledger.hours == Decimal("3.75")
    assert ledger.units == Decimal("5.00")
    assert (ledger.individual_minutes, ledger.group_minutes) == (45, 180)


def test_the_ledger_page_and_the_certificate(world: World, owner_client: HttpClient):
    person = supervisee_with_history(world)
    page = owner_client.get(reverse("hours_ledger", args=[person.uuid])).content.decode()
    assert "8.9.2026" in page and "3.11.2026" in page and "20.10.2026" not in page
    assert reverse("supervision_certificate", args=[person.uuid]) in page
    client_page = owner_client.get(reverse("client", args=[world.client.uuid])).content.decode()
    assert reverse("hours_ledger", args=[person.uuid]) in client_page

    response = owner_client.get(reverse("supervision_certificate", args=[person.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Todistus työnohjauksesta" in text
    assert person.name in text
    assert "8.9.2026 – 3.11.2026" in text  # the period
    assert "3,75 h (225 min)" in text
    assert "5,00" in text  # 45-minute units
    assert "Yksilötyönohjaus" in text and "Tiimityönohjaus" in text
    assert QUALIFICATIONS in text
    assert "Anna Aalto" in text and "Työnohjaajan allekirjoitus" in text
    today = timezone.localdate()
    assert f"{today.day}.{today.month}.{today.year}" in text  # dated today
    event = AuditEvent.objects.filter(object_id=str(person.uuid)).latest("at")
    assert event.action == "export" and event.actor == world.owner


def test_nothing_to_certify_without_attended_meetings(world: World, owner_client: HttpClient):
    person = world.client.members.select_related("person").get(person__name="Jäsen 1").person
    response = owner_client.get(reverse("supervision_certificate", args=[person.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("hours_ledger", args=[person.uuid])


def test_only_those_who_see_her_contracts_see_her_hours(
    world: World, colleague_client: HttpClient, other_client: HttpClient
):
    person = supervisee_with_history(world)
    for name in ("hours_ledger", "supervision_certificate"):
        url = reverse(name, args=[person.uuid])
        assert colleague_client.get(url).status_code == 404
        assert other_client.get(url).status_code == 404

"""The supervisor's own log of supervising hours for her supervisor training: the held meetings
she supervised, with numbered client labels unless she asks for names, as a page, CSV and PDF."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import World, at, make_contract, make_meeting
from tests.test_billing_certificates import hold, pdf_text
from tila.audit.models import AuditEvent
from tila.clients.models import Client, ClientKind
from tila.contracts.models import Contract
from tila.meetings.models import Meeting, MeetingStatus
from tila.practices.models import Form

pytestmark = pytest.mark.django_db

PERIOD = "?start=2026-09-01&end=2026-11-30"


def held(meeting: Meeting) -> Meeting:
    meeting.status = MeetingStatus.HELD
    meeting.save()
    return meeting


def supervised(world: World, client_name: str = "Iida Yksilö") -> None:
    """Anna's team met twice in the autumn (four of five present at the first, no attendance
    recorded at the second) and once in August; one meeting was cancelled. She also supervises
    one person individually (45 minutes). Her colleague held a meeting of her own."""
    members = list(world.client.members.order_by("person__name"))
    hold(
        make_meeting(world.contract, world.owner, at(2026, 9, 8, 13)),
        {member: index != 4 for index, member in enumerate(members)},
    )
    held(make_meeting(world.contract, world.owner, at(2026, 9, 29, 13)))
    held(make_meeting(world.contract, world.owner, at(2026, 8, 25, 13)))  # before the period
    cancelled = make_meeting(world.contract, world.owner, at(2026, 10, 20, 13))
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    individual = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name=client_name
    )
    contract = make_contract(world.practice, individual, world.owner)
    Contract.objects.filter(pk=contract.pk).update(form=Form.INDIVIDUAL)
    held(make_meeting(contract, world.owner, at(2026, 11, 3, 8), minutes=45))
    held(make_meeting(world.colleague_contract, world.colleague, at(2026, 9, 10, 9)))


def get(http: HttpClient, name: str, query: str = PERIOD) -> bytes:
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        response = http.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content


def test_the_page_shows_her_meetings_and_totals_per_form(world: World, owner_client: HttpClient):
    supervised(world)
    page = get(owner_client, "supervising_log").decode()
    assert "8.9.2026" in page and "29.9.2026" in page and "3.11.2026" in page
    assert "25.8.2026" not in page and "20.10.2026" not in page and "10.9.2026" not in page
    # Clients are numbered, nothing names them.
    assert "Asiakas 1" in page and "Asiakas 2" in page
    assert world.client.name not in page and "Iida Yksilö" not in page
    assert world.contract.title not in page
    totals = page.split('id="log-totals"')[1].split("</section>")[0]
    assert totals.index("Tiimityönohjaus") < totals.index("Yksilötyönohjaus")
    assert "3,00" in totals and "4,00" in totals  # team: 180 min, 4 units
    assert "0,75" in totals and "1,00" in totals  # individual: 45 min, 1 unit
    assert "3,75" in totals and "5,00" in totals  # in all


def test_names_only_when_she_asks(world: World, owner_client: HttpClient):
    supervised(world)
    page = get(owner_client, "supervising_log", PERIOD + "&names=on").decode()
    assert world.client.name in page and "Iida Yksilö" in page
    assert "Asiakas 1" not in page


def test_the_csv_neutralises_formulas(world: World, owner_client: HttpClient):
    supervised(world, client_name='=HYPERLINK("http://evil.example")')
    content = get(owner_client, "supervising_log_csv", PERIOD + "&names=on")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Päivä",
        "Minuutit",
        "Työnohjausmuoto",
        "Yksilö vai ryhmä",
        "Ryhmän koko",
        "45 min yksiköt",
        "Asiakas",
    ]
    assert rows[1] == [
        "2026-09-08",
        "90",
        "Tiimityönohjaus",
        "Ryhmä",
        "4",
        "2,00",
        world.client.name,
    ]
    assert rows[2][4] == ""  # no attendance recorded: the size is not known
    assert rows[3] == [
        "2026-11-03",
        "45",
        "Yksilötyönohjaus",
        "Yksilö",
        "1",
        "1,00",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert rows[-1] == ["Yhteensä", "225", "", "", "", "5,00", ""]
    event = AuditEvent.objects.filter(actor=world.owner).latest("at")
    assert event.detail["document"] == "supervising_log_csv" and event.detail["names"] is True


def test_the_pdf_for_printing(world: World, owner_client: HttpClient):
    supervised(world)
    text = pdf_text(get(owner_client, "supervising_log_pdf"))
    assert "Työnohjaustuntikirjanpito" in text
    assert "Anna Aalto" in text and "1.9.2026" in text and "30.11.2026" in text
    assert "Asiakas 1" in text and world.client.name not in text
    assert "Yhteensä 3 3,75 5,00" in text
    assert "Allekirjoitus" in text


def test_a_colleague_sees_only_what_she_supervised(world: World, colleague_client: HttpClient):
    supervised(world)
    page = get(colleague_client, "supervising_log").decode()
    assert "10.9.2026" in page and "8.9.2026" not in page


def test_the_number_of_queries_does_not_grow(world: World, owner_client: HttpClient):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            get(owner_client, "supervising_log")
        return len(queries)

    held(make_meeting(world.contract, world.owner, at(2026, 9, 1, 13)))
    few = count()
    supervised(world)
    assert count() == few


def test_a_bad_period_is_refused(world: World, owner_client: HttpClient):
    page = get(owner_client, "supervising_log", "?start=2026-11-01&end=2026-10-01").decode()
    assert "Jakson on päätyttävä samana päivänä tai myöhemmin kuin se alkaa." in page
    assert date(2026, 11, 20).strftime("%Y") in page

"""Reports for a period: revenue without VAT by month, by orderer and by form of supervision,
and meetings held against meetings agreed, each an SVG chart with a table alternative."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from tests.billing_helpers import give_addresses
from tests.factories import World, at, make_contract, make_meeting
from tests.test_billing_revenue import invoice_of_meetings
from tila.billing.actions import add_line, credit_invoice, issue_invoice, propose_invoice
from tila.billing.reports import BAR_SPACE
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import Contract
from tila.lib.formatting import money
from tila.meetings.models import MeetingStatus
from tila.practices.models import Form, VatTreatment

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": "http://www.w3.org/2000/svg"}
URL = "/invoices/reports/"


def private_contract(world: World) -> Contract:
    """Individual supervision of a private person, billed to her, not to an organisation."""
    person = Person.objects.create(practice=world.practice, name="Paula Yksityinen")
    client = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name=person.name
    )
    ClientMember.objects.create(client=client, person=person, joined_on=date(2026, 1, 1))
    contract = make_contract(world.practice, client, world.owner)
    Contract.objects.filter(pk=contract.pk).update(form=Form.INDIVIDUAL, title="Yksilötyönohjaus")
    contract.refresh_from_db()
    return contract


def report(http: HttpClient, query: str = "") -> str:
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        response = http.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def chart(page: str, slug: str) -> etree._Element:
    [svg] = re.findall(rf'<svg class="bar-chart" id="chart-{slug}".*?</svg>', page, re.DOTALL)
    return etree.fromstring(svg)


def bars(svg: etree._Element) -> dict[str, tuple[str, str, int]]:
    """key: (label, value text, bar width) for each bar of the chart."""
    found = {}
    for group in svg.iterfind(f"{SVG}g"):
        label, value = (text.text or "" for text in group.iterfind(f"{SVG}text"))
        [bar] = group.iterfind(f"{SVG}rect[@class='bar']")
        found[group.get("data-key", "")] = (label, value, int(bar.get("width", "")))
    return found


def assert_accessible(svg: etree._Element, title: str) -> str:
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby", "").split() == [
        svg.xpath("string(svg:title/@id)", namespaces=NS),
        svg.xpath("string(svg:desc/@id)", namespaces=NS),
    ]
    assert svg.findtext(f"{SVG}title") == title
    return svg.findtext(f"{SVG}desc", default="")


def test_revenue_by_month_orderer_and_form_in_the_period(world: World, owner_client: HttpClient):
    team = invoice_of_meetings(
        world.contract, world.owner, [date(2026, 9, 8), date(2026, 9, 29)], date(2026, 9, 30)
    )
    private = private_contract(world)
    individual = invoice_of_meetings(private, world.owner, [date(2026, 10, 6)], date(2026, 10, 7))
    note = credit_invoice(invoice=individual, actor=world.owner, today=date(2026, 11, 2))
    kept = invoice_of_meetings(private, world.owner, [date(2026, 11, 3)], date(2026, 11, 4))
    invoice_of_meetings(world.contract, world.owner, [date(2026, 6, 2)], date(2026, 6, 3))
    invoice_of_meetings(
        world.other_contract, world.other_owner, [date(2026, 10, 6)], date(2026, 10, 7)
    )  # another practice's
    assert note.total_net == -individual.total_net

    page = report(owner_client, "?start=2026-09-01&end=2026-11-30")

    months = chart(page, "month")
    description = assert_accessible(months, "Laskutus kuukausittain ilman arvonlisäveroa")
    assert bars(months) == {
        "2026-09": ("9/2026", money(team.total_net), BAR_SPACE),
        "2026-10": ("10/2026", money(individual.total_net), round(BAR_SPACE / 2)),
        "2026-11": ("11/2026", money(Decimal("0.00")), 0),  # the credit note cancels it out
    }
    assert f"9/2026: {money(team.total_net)}" in description
    assert kept.total_net == individual.total_net

    orderers = chart(page, "organisation")
    assert_accessible(orderers, "Laskutus tilaajittain ilman arvonlisäveroa")
    assert list(bars(orderers).values()) == [
        ("Tampereen kaupunki", money(team.total_net), BAR_SPACE),
        ("Yksityisasiakkaat", money(Decimal("240.00")), round(BAR_SPACE / 2)),
    ]

    forms = chart(page, "form")
    description = assert_accessible(forms, "Laskutus työnohjausmuodoittain ilman arvonlisäveroa")
    assert {key: value for key, (_label, value, _width) in bars(forms).items()} == {
        "individual": money(Decimal("240.00")),
        "group": money(Decimal("0.00")),
        "team": money(team.total_net),
        "community": money(Decimal("0.00")),
    }
    assert f"Tiimi: {money(team.total_net)}" in description


def test_the_tables_carry_the_same_numbers(world: World, owner_client: HttpClient):
    team = invoice_of_meetings(world.contract, world.owner, [date(2026, 9, 8)], date(2026, 9, 30))
    page = report(owner_client, "?start=2026-09-01&end=2026-10-31")
    tables = re.findall(r'<details class="chart-table">.*?</details>', page, re.DOTALL)
    assert len(tables) == 4
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td></tr>", tables[0])
    assert rows == [("9/2026", money(team.total_net)), ("10/2026", money(Decimal("0.00")))]
    [footer] = re.findall(r"<tfoot>.*?</tfoot>", tables[1], re.DOTALL)
    assert money(team.total_net) in footer


def test_the_default_period_is_the_last_twelve_months(world: World, owner_client: HttpClient):
    page = report(owner_client)
    keys = list(bars(chart(page, "month")))
    assert keys == ["2025-12", *(f"2026-{month:02d}" for month in range(1, 12))]


def test_a_period_that_ends_before_it_starts_is_refused_and_the_default_shown(
    world: World, owner_client: HttpClient
):
    page = report(owner_client, "?start=2026-10-01&end=2026-09-01")
    assert "Jakson on päätyttävä samana päivänä tai myöhemmin kuin se alkaa." in page
    assert len(bars(chart(page, "month"))) == 12
    page = report(owner_client, "?start=2020-01-01&end=2026-09-01")
    assert "Valitse enintään kolmen vuoden jakso." in page
    assert report(owner_client, "?start=huomenna&end=")


def test_meetings_held_against_meetings_agreed(world: World, owner_client: HttpClient):
    for day in (8, 15, 22):
        meeting = make_meeting(world.contract, world.owner, at(2026, 9, day, 13))
        meeting.status = MeetingStatus.HELD
        meeting.save()
    late = make_meeting(world.contract, world.owner, at(2026, 9, 29, 13))
    late.status = MeetingStatus.CANCELLED_LATE
    late.cancelled_at = timezone.now()
    late.save()
    in_time = make_meeting(world.contract, world.owner, at(2026, 10, 6, 13))
    in_time.status = MeetingStatus.CANCELLED
    in_time.cancelled_at = timezone.now()
    in_time.save()
    free = private_contract(world)
    Contract.objects.filter(pk=free.pk).update(late_cancellation_percent=0, meeting_count=5)
    no_show = make_meeting(free, world.owner, at(2026, 10, 1, 8))
    no_show.status = MeetingStatus.NO_SHOW
    no_show.save()
    assert world.contract.late_cancellation_percent > 0

    page = report(owner_client, "?start=2026-09-01&end=2026-11-30")

    svg = chart(page, "delivered")
    description = assert_accessible(svg, "Pidetyt tapaamiset sovittuihin verrattuna")
    groups = {group.get("data-key"): group for group in svg.iterfind(f"{SVG}g")}
    team = groups[str(world.contract.uuid)]
    label, value = (text.text for text in team.iterfind(f"{SVG}text"))
    assert label == "Tiimityönohjaus…"  # in full in the table
    assert value == "3/10 (+1)"
    assert f"{world.contract.title}<br>" in page
    widths = {rect.get("class"): int(rect.get("width", "")) for rect in team.iterfind(f"{SVG}rect")}
    assert widths["bar"] == round(BAR_SPACE * 3 / 10)
    assert widths["late"] == round(BAR_SPACE * 4 / 10) - widths["bar"]
    assert widths["agreed"] == BAR_SPACE - 2
    individual = groups[str(free.uuid)]
    assert [text.text for text in individual.iterfind(f"{SVG}text")][1] == "0/5"
    assert "3/10 tapaamisesta pidetty, 1 peruttu myöhään ja laskutettava" in description
    assert str(world.colleague_contract.uuid) in groups  # the owner sees the practice's
    assert str(world.other_contract.uuid) not in groups


def test_the_colleague_sees_only_her_own(world: World, colleague_client: HttpClient):
    invoice_of_meetings(world.contract, world.owner, [date(2026, 9, 8)], date(2026, 9, 30))
    page = report(colleague_client, "?start=2026-09-01&end=2026-11-30")
    assert "Tampereen kaupunki" not in page
    groups = [g.get("data-key") for g in chart(page, "delivered").iterfind(f"{SVG}g")]
    assert groups == [str(world.colleague_contract.uuid)]


def count_queries(http: HttpClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        report(http, "?start=2026-01-01&end=2026-12-31")
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(world: World, owner_client: HttpClient):
    invoice_of_meetings(world.contract, world.owner, [date(2026, 9, 8)], date(2026, 9, 30))
    few = count_queries(owner_client)
    private = private_contract(world)
    for month in (3, 4, 5):
        invoice_of_meetings(private, world.owner, [date(2026, month, 5)], date(2026, month, 6))
    invoice_of_meetings(world.contract, world.owner, [date(2026, 10, 6)], date(2026, 10, 7))
    assert count_queries(owner_client) == few


def test_lines_added_by_hand_count_as_other(world: World, owner_client: HttpClient):
    give_addresses(world.practice, world.organisation)
    meeting = make_meeting(world.contract, world.owner, at(2026, 9, 8, 13))
    meeting.status = MeetingStatus.HELD
    meeting.save()
    draft = propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        actor=world.owner,
    )
    add_line(
        invoice=draft,
        description="Materiaalit",
        quantity=Decimal("1"),
        unit="kpl",
        unit_price=Decimal("30.00"),
        vat_treatment=VatTreatment.STANDARD,
        service_date=None,
    )
    issue_invoice(invoice=draft, actor=world.owner, today=date(2026, 9, 30))
    page = report(owner_client, "?start=2026-09-01&end=2026-09-30")
    found = bars(chart(page, "form"))
    assert found["team"][1] == money(Decimal("240.00"))
    assert found["other"][:2] == ("Muu", money(Decimal("30.00")))
    assert bars(chart(page, "month"))["2026-09"][1] == money(Decimal("270.00"))

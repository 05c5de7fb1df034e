"""Invoiced by month on the invoice list: a bar chart (SVG) of the issued invoices' totals without
VAT over the last twelve months, credit notes deducted, with the same numbers as a table."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from lxml import etree

from tests.billing_helpers import give_addresses
from tests.factories import World, at, make_meeting
from tests.test_orderers_invoices import invoice_for
from tila.accounts.models import User
from tila.billing.actions import credit_invoice, issue_invoice, propose_invoice
from tila.billing.models import Invoice
from tila.billing.revenue import BASELINE, TOP
from tila.contracts.models import Contract
from tila.lib.formatting import money
from tila.meetings.models import MeetingStatus

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": "http://www.w3.org/2000/svg"}


def invoice_of_meetings(
    contract: Contract, supervisor: User, days: list[date], issued_on: date
) -> Invoice:
    give_addresses(contract.practice, contract.organisation)
    for day in days:
        meeting = make_meeting(contract, supervisor, at(day.year, day.month, day.day, 12))
        meeting.status = MeetingStatus.HELD
        meeting.save()
    draft = propose_invoice(
        practice=contract.practice,
        contracts=[contract],
        organisation=None,
        period_start=min(days),
        period_end=max(days),
        actor=supervisor,
    )
    return issue_invoice(invoice=draft, actor=supervisor, today=issued_on)


def chart_of(http: HttpClient) -> etree._Element:
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        page = http.get("/invoices/").content.decode()
    [svg] = re.findall(r"<svg class=\"revenue-chart\".*?</svg>", page, flags=re.DOTALL)
    return etree.fromstring(svg)


def test_the_chart_shows_twelve_months_of_issued_invoices_without_vat(
    world: World, owner_client: HttpClient
):
    october = invoice_for(world.contract, world.owner, day=6)  # issued 31.10.2026
    november = invoice_of_meetings(
        world.contract,
        world.owner,
        [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)],
        date(2026, 11, 5),
    )
    note = credit_invoice(invoice=october, actor=world.owner, today=date(2026, 11, 10))
    invoice_for(world.contract, world.owner, day=20, issue=False)  # a draft counts for nothing
    invoice_of_meetings(
        world.contract, world.owner, [date(2025, 10, 1)], date(2025, 10, 31)
    )  # too old
    invoice_of_meetings(
        world.other_contract, world.other_owner, [date(2026, 11, 2)], date(2026, 11, 5)
    )  # not ours
    assert october.total_net > 0 and note.total_net == -october.total_net

    chart = chart_of(owner_client)

    assert chart.get("role") == "img"
    labelled_by = chart.get("aria-labelledby", "").split()
    assert [
        chart.xpath("string(svg:title/@id)", namespaces=NS),
        chart.xpath("string(svg:desc/@id)", namespaces=NS),
    ] == labelled_by
    assert "ilman arvonlisäveroa" in chart.findtext(f"{SVG}title", default="")
    bars = {
        rect.attrib["data-month"]: int(rect.attrib["height"]) for rect in chart.iter(f"{SVG}rect")
    }
    assert list(bars) == ["2025-12", *(f"2026-{month:02d}" for month in range(1, 12))]
    # The credit note of October's invoice is deducted in its own month, November.
    assert bars["2026-10"] == round(
        (BASELINE - TOP) * october.total_net / (november.total_net - october.total_net)
    )
    assert bars["2026-11"] == BASELINE - TOP  # the highest month reaches the top line
    assert all(height == 0 for month, height in bars.items() if month not in {"2026-10", "2026-11"})
    for rect in chart.iter(f"{SVG}rect"):
        assert int(rect.attrib["y"]) + int(rect.attrib["height"]) == BASELINE

    description = chart.findtext(f"{SVG}desc", default="")
    assert f"10/26: {money(october.total_net)}" in description
    assert f"11/26: {money(november.total_net - october.total_net)}" in description
    assert f"12/25: {money(Decimal('0.00'))}" in description


def test_the_table_alternative_carries_the_same_numbers(world: World, owner_client: HttpClient):
    october = invoice_for(world.contract, world.owner, day=6)
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        page = owner_client.get("/invoices/").content.decode()
    [table] = re.findall(r"<details class=\"chart-table\">.*?</details>", page, flags=re.DOTALL)
    rows = re.findall(r"<tr><td[^>]*>([0-9/]+)</td><td[^>]*>([^<]+)</td></tr>", table)
    assert len(rows) == 12
    assert dict(rows)["10/26"] == money(october.total_net)
    assert dict(rows)["11/26"] == money(Decimal("0.00"))


def test_a_practice_without_invoices_gets_flat_bars(world: World, owner_client: HttpClient):
    chart = chart_of(owner_client)
    assert [int(rect.attrib["height"]) for rect in chart.iter(f"{SVG}rect")] == [0] * 12

"""The bookkeeper's CSV: one row per invoice line, numbers as numbers, formulas neutralised."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.billing_helpers import address_organisation, hold_meetings
from tests.factories import World
from tila.audit.models import AuditEvent
from tila.billing import actions
from tila.billing.export import neutralise
from tila.practices.models import VatTreatment

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+358 40 1", "'+358 40 1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Työnohjaus 90 min", "Työnohjaus 90 min"),
        ("", ""),
    ],
)
def test_cells_that_could_start_a_formula_are_prefixed(text: str, expected: str):
    assert neutralise(text) == expected


def test_the_export_has_every_line_of_issued_invoices(world: World, owner_client: HttpClient):
    hold_meetings(world, count=3, late_cancellations=1)
    address_organisation(world)
    world.organisation.name = "=cmd|'/c calc'!A1"
    world.organisation.save()
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 10, 31),
        actor=world.owner,
    )
    actions.add_line(
        invoice=draft,
        description="-matkakulut @ 0,25 €/km",
        quantity=Decimal("40"),
        unit="km",
        unit_price=Decimal("0.25"),
        vat_treatment=VatTreatment.STANDARD,
        service_date=date(2026, 9, 8),
    )
    invoice = actions.issue_invoice(invoice=draft, actor=world.owner, today=date(2026, 10, 31))
    note = actions.credit_invoice(invoice=invoice, actor=world.owner, today=date(2026, 11, 2))
    response = owner_client.get(reverse("export_invoices"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = rows_of(response.content)
    assert header[0] == "Laskun numero"
    line_count = invoice.lines.count()
    assert len(rows) == 2 * line_count
    assert {row[0] for row in rows} == {str(invoice.number), str(note.number)}
    assert all(row[5] == "'=cmd|'/c calc'!A1" for row in rows)
    extra = [row for row in rows if row[12] == "km"]
    assert [row[9] for row in extra] == ["'-matkakulut @ 0,25 €/km"] * 2
    original = [row for row in rows if row[0] == str(invoice.number)]
    credit = [row for row in rows if row[0] == str(note.number)]
    assert credit[0][8] == str(invoice.number)
    # The amounts add up to the invoice's totals; a credit note's are negative numbers.
    gross = sum(Decimal(row[17].replace(",", ".")) for row in original)
    assert gross == invoice.total
    assert sum(Decimal(row[17].replace(",", ".")) for row in credit) == -invoice.total
    assert all(row[15].startswith("-") for row in credit)
    assert AuditEvent.objects.filter(action="export", actor=world.owner).exists()


def test_a_supervisor_exports_only_invoices_she_sees(world: World, colleague_client: HttpClient):
    hold_meetings(world, count=1, late_cancellations=0)
    address_organisation(world)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 10, 31),
        actor=world.owner,
    )
    actions.issue_invoice(invoice=draft, actor=world.owner, today=date(2026, 10, 31))
    _header, *rows = rows_of(colleague_client.get(reverse("export_invoices")).content)
    assert rows == []

"""The orderer's invoices: the organisation's issued invoices with their PDFs, nothing else of
billing; every other invoice is not found."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from tests.billing_helpers import give_addresses, issued_invoice
from tests.factories import (
    World,
    at,
    make_contact,
    make_contract,
    make_meeting,
    make_organisation,
    make_team,
)
from tests.portal_helpers import log_in_as, member_of
from tests.test_orderers_view import orderer_client
from tila.accounts.models import User
from tila.billing.actions import credit_invoice, issue_invoice, propose_invoice, record_payment
from tila.billing.models import Invoice
from tila.contracts.models import Contract
from tila.lib.formatting import money
from tila.meetings.models import MeetingStatus

pytestmark = pytest.mark.django_db


def invoice_for(contract: Contract, supervisor: User, day: int = 6, issue: bool = True) -> Invoice:
    """An invoice for one meeting held in October 2026, issued on 31.10.2026 unless a draft."""
    give_addresses(contract.practice, contract.organisation)
    meeting = make_meeting(contract, supervisor, at(2026, 10, day, 12))
    meeting.status = MeetingStatus.HELD
    meeting.save()
    draft = propose_invoice(
        practice=contract.practice,
        contracts=[contract],
        organisation=None,
        period_start=date(2026, 10, day),
        period_end=date(2026, 10, day),
        actor=supervisor,
    )
    if not issue:
        return draft
    return issue_invoice(invoice=draft, actor=supervisor, today=date(2026, 10, 31))


def pdf_url(invoice: Invoice) -> str:
    return reverse("orderer_invoice_pdf", args=[invoice.uuid])


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture
def orderer(world: World) -> HttpClient:
    http = orderer_client(world.contact, world.owner)
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return http


def test_the_orderer_lists_the_organisations_issued_invoices(world: World, orderer: HttpClient):
    invoice = issued_invoice(world)
    draft = invoice_for(world.contract, world.owner, day=20, issue=False)
    with time_machine.travel(at(2026, 11, 2, 12), tick=False):
        page = orderer.get(reverse("orderer_invoice_list")).content.decode()
    assert str(invoice.number) in page
    assert "31.10.2026" in page and "14.11.2026" in page  # invoice date, due in 14 days
    assert money(invoice.total) in page
    assert "Open" in page
    assert pdf_url(invoice) in page
    assert pdf_url(draft) not in page
    # Nothing of the practice's own bookkeeping: no links to the supervisor's billing pages.
    assert f'"{reverse("invoice", args=[invoice.uuid])}"' not in page
    assert reverse("invoice_finvoice", args=[invoice.uuid]) not in page
    assert reverse("new_invoice") not in page


def test_the_status_follows_payments_due_dates_and_credit_notes(world: World, orderer: HttpClient):
    invoice = issued_invoice(world)
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        page = orderer.get(reverse("orderer_invoice_list")).content.decode()
    assert "Overdue" in page
    record_payment(
        invoice=invoice, amount=invoice.total, paid_on=date(2026, 11, 21), actor=world.owner
    )
    page = orderer.get(reverse("orderer_invoice_list")).content.decode()
    assert "Paid" in page and "Overdue" not in page
    other = invoice_for(world.contract, world.owner, day=27)
    note = credit_invoice(invoice=other, actor=world.owner, today=date(2026, 11, 3))
    page = orderer.get(reverse("orderer_invoice_list")).content.decode()
    assert "Credited" in page and "Credit note" in page
    assert pdf_url(note) in page


def test_the_orderer_downloads_the_pdf(world: World, orderer: HttpClient):
    invoice = issued_invoice(world)
    response = orderer.get(pdf_url(invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert f"{invoice.number}" in text
    assert invoice.reference in text.replace(" ", "")
    assert money(invoice.total).replace("\u00a0", " ") in text


def test_every_invoice_not_the_organisations_is_not_found(world: World, orderer: HttpClient):
    own = issued_invoice(world)
    draft = invoice_for(world.contract, world.owner, day=27, issue=False)
    # Another organisation ordering from the same practice, and its contact.
    organisation = make_organisation(world.practice, "Toinen kunta")
    contact = make_contact(organisation)
    contact.email = "toinen.yhteyshenkilo@example.test"
    contact.save()
    neighbour_contract = make_contract(
        world.practice,
        make_team(world.practice, organisation, size=3),
        world.owner,
        organisation,
        contact,
    )
    neighbours = invoice_for(neighbour_contract, world.owner)
    # Practice B's invoice to its own orderer, and that orderer's contact.
    foreign = invoice_for(world.other_contract, world.other_owner)
    world.other_contact.email = "b.yhteyshenkilo@example.test"
    world.other_contact.save()

    assert orderer.get(pdf_url(own)).status_code == 200
    for invoice in (draft, neighbours, foreign):
        assert orderer.get(pdf_url(invoice)).status_code == 404
    page = orderer.get(reverse("orderer_invoice_list")).content.decode()
    assert pdf_url(neighbours) not in page and pdf_url(foreign) not in page

    neighbour = orderer_client(contact, world.owner)
    assert neighbour.get(pdf_url(neighbours)).status_code == 200
    for invoice in (own, draft, foreign):
        assert neighbour.get(pdf_url(invoice)).status_code == 404

    other_practices_contact = orderer_client(world.other_contact, world.other_owner)
    assert other_practices_contact.get(pdf_url(foreign)).status_code == 200
    for invoice in (own, draft, neighbours):
        assert other_practices_contact.get(pdf_url(invoice)).status_code == 404

    supervisee = log_in_as(member_of(world.contract), world.owner)
    for invoice in (own, draft, neighbours, foreign):
        assert supervisee.get(pdf_url(invoice)).status_code == 404
    assert supervisee.get(reverse("orderer_invoice_list")).status_code == 404

    bertta = HttpClient()
    bertta.force_login(world.other_owner)
    for invoice in (own, draft, neighbours):
        assert bertta.get(pdf_url(invoice)).status_code == 404
        assert bertta.get(reverse("invoice", args=[invoice.uuid])).status_code == 404
        assert bertta.get(reverse("invoice_pdf", args=[invoice.uuid])).status_code == 404

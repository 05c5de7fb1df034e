"""Billing in Chromium: from held meetings and a late cancellation the supervisor proposes and
issues an invoice, downloads its PDF and Finvoice message, and the orderer's contact finds it
in the orderer portal."""

import io
import re
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.billing_helpers import address_organisation, hold_meetings
from tests.browser.conftest import log_in, log_in_by_code, object_page, screenshot
from tests.factories import PASSWORD
from tila.billing.finvoice import validate
from tila.billing.models import Invoice, InvoiceStatus
from tila.lib.formatting import money
from tila.orderers.actions import invite_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_supervisor_bills_the_work_done_and_the_orderer_sees_the_invoice(
    page, phone_page, world, tmp_path
):
    hold_meetings(world, count=3, late_cancellations=1)
    address_organisation(world)
    log_in(page, world.owner.email, PASSWORD)

    # The proposal: three held meetings and the chargeable late cancellation of the period.
    page.goto("/invoices/")
    page.get_by_role("link", name="Uusi lasku tehdystä työstä").click()
    page.select_option("#id_contract", str(world.contract.uuid))
    page.fill("#id_period_start", "2026-09-01")
    page.fill("#id_period_end", "2026-10-31")
    page.get_by_role("button", name="Tee luonnos").click()
    page.wait_for_url(object_page("invoices"))
    invoice = Invoice.objects.get(practice=world.practice)
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.lines.count() == 4
    assert page.locator("main table.list").first.locator("tbody tr").count() == 4

    # Issuing gives it a number; the downloads appear.
    page.get_by_role("button", name="Laadi lasku").click()
    page.get_by_role("link", name="Lataa PDF").wait_for()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.number
    number = str(invoice.number)
    assert number in page.locator("h1").inner_text()
    screenshot(page, "billing-invoice-desktop")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Lataa PDF").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.name == f"lasku-{number}.pdf"
    text = pdf_text(pdf_path)
    assert number in text
    assert money(invoice.total).replace("\u00a0", " ") in text

    with page.expect_download() as xml_download:
        page.get_by_role("link", name="Lataa verkkolasku (Finvoice)").click()
    xml_path = tmp_path / xml_download.value.suggested_filename
    xml_download.value.save_as(xml_path)
    document = etree.fromstring(xml_path.read_bytes())
    validate(document)  # raises FinvoiceInvalid with the schema's complaints
    assert document.findtext("InvoiceDetails/InvoiceNumber") == number

    # The same invoice page on a phone.
    log_in(phone_page, world.owner.email, PASSWORD)
    phone_page.goto(f"/invoices/{invoice.uuid}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "billing-invoice-phone")
    phone_page.goto("/invoices/")
    phone_page.locator(".revenue-chart rect").first.wait_for(state="attached")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "billing-invoice-list-phone")
    phone_page.context.clear_cookies()

    # The orderer's contact logs in by code and finds the invoice.
    invite_contact(contact=world.contact, actor=world.owner)
    log_in_by_code(phone_page, world.contact.email)
    phone_page.wait_for_url("**/orderer/")
    phone_page.get_by_role("link", name="Laskut").click()
    phone_page.wait_for_url("**/orderer/invoices/")
    row = phone_page.locator("tbody tr", has_text=number)
    assert money(invoice.total) in row.inner_text()
    expect(row.get_by_role("link", name=re.compile(number))).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "billing-orderer-invoices-phone")

"""Invoices from the work done: the draft, issuing, the PDF and the Finvoice message."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from tests.billing_helpers import address_organisation, hold_meetings, issued_invoice
from tila.billing import actions
from tila.billing.finvoice import finvoice_xml, schema
from tila.billing.models import Invoice, InvoiceStatus
from tila.contracts.models import OrdererVisibility, PriceLine, PriceUnit
from tila.lib.formatting import money
from tila.practices.models import VatTreatment

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def fi_amount(value: Decimal) -> str:
    return money(value).replace("\u00a0", " ")


def test_the_draft_bills_held_meetings_and_the_late_cancellation(world):
    hold_meetings(world, count=3, late_cancellations=1)
    address_organisation(world)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 10, 31),
        actor=world.owner,
    )
    lines = list(draft.lines.all())
    assert [line.service_date for line in lines] == [
        date(2026, 9, 1),
        date(2026, 9, 8),
        date(2026, 9, 15),
        date(2026, 9, 22),
    ]
    assert all(line.vat_rate == Decimal("25.5") for line in lines)
    assert "4 osallistujaa" in lines[0].detail  # the contract tells the orderer counts
    assert "myöhäinen peruutus" in lines[3].detail
    assert draft.total_net == Decimal("960.00")
    assert draft.total_vat == Decimal("244.80")
    assert draft.total == Decimal("1204.80")
    assert draft.buyer_reference == world.contract.buyer_reference
    # the meetings are now on an invoice: nothing more to bill
    with pytest.raises(actions.BillingError):
        actions.propose_invoice(
            practice=world.practice,
            contracts=[world.contract],
            organisation=None,
            period_start=date(2026, 9, 1),
            period_end=date(2026, 10, 31),
            actor=world.owner,
        )


def test_no_participant_count_when_the_orderer_is_told_nothing(world):
    world.contract.orderer_visibility = OrdererVisibility.NOTHING
    world.contract.save()
    hold_meetings(world, count=1, late_cancellations=0)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        actor=world.owner,
    )
    assert draft.lines.get().detail == "90 min"


def test_units_of_45_minutes_exempt_lines_and_an_unregistered_seller(world):
    world.contract.price_lines.all().delete()
    PriceLine.objects.create(
        contract=world.contract,
        description="Terapiatyönohjaus",
        unit=PriceUnit.UNIT_45,
        unit_price=Decimal("80.00"),
        vat_treatment=VatTreatment.EXEMPT,
    )
    hold_meetings(world, count=1, late_cancellations=0)
    address_organisation(world)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        actor=world.owner,
    )
    line = draft.lines.get()
    assert line.quantity == Decimal("2.00") and line.net == Decimal("160.00")
    assert line.vat_rate == 0 and draft.total == Decimal("160.00")
    invoice = actions.issue_invoice(invoice=draft, actor=world.owner, today=date(2026, 10, 1))
    text = pdf_text(invoice_pdf_bytes(invoice))
    assert "AVL 34 §" in text


def test_a_seller_not_registered_for_vat_charges_none_and_says_why(world):
    world.practice.vat_registered = False
    world.practice.save()
    invoice = issued_invoice(world)
    assert {line.vat_rate for line in invoice.lines.all()} == {Decimal("0.00")}
    assert invoice.total == Decimal("960.00")
    text = pdf_text(invoice_pdf_bytes(invoice))
    assert "AVL 3 §" in text and "FI24281353" not in text


def invoice_pdf_bytes(invoice: Invoice) -> bytes:
    from tila.billing.pdf import invoice_pdf

    return invoice_pdf(invoice)


def test_the_pdf_carries_every_marking_the_law_asks_for(world):
    invoice = issued_invoice(world)
    text = pdf_text(invoice_pdf_bytes(invoice))
    practice, organisation = world.practice, world.organisation
    for marking in [
        "LASKU",
        "Laskun päivämäärä",
        "31.10.2026",
        "Laskun numero",
        str(invoice.number),
        practice.name,
        practice.business_id,
        "FI24281353",
        practice.street_address,
        organisation.name,
        organisation.street_address,
        "Eräpäivä",
        "14.11.2026",
        "Viitenumero",
        "10003",
        "14 päivää netto",
        "Viivästyskorko",
        "Työnohjaus 90 min",
        "1.9.2026",
        "22.9.2026",
        "240,00",
        "25,5",
        fi_amount(Decimal("244.80")),
        fi_amount(Decimal("1204.80")),
        "Kaisa Esimies / Varhaiskasvatus",
        "PO-2026-0457",
        "4410 Kuusela",
        "FI21 1234 5600 0007 85",
        "NDEAFIHH",
        "Saajan tilinumero",
        "Viitenro",
        "Euro",
    ]:
        assert marking in text, marking
    document = etree.fromstring(finvoice_xml(invoice))
    barcode = document.findtext("VirtualBankBarcode")
    assert barcode and barcode in text.replace(" ", "")


def test_the_finvoice_message_validates_and_agrees_with_the_pdf(world):
    invoice = issued_invoice(world)
    document = etree.fromstring(finvoice_xml(invoice))
    assert schema().validate(document)
    text = pdf_text(invoice_pdf_bytes(invoice))
    compact = text.replace(" ", "")  # amounts are printed with thousands separated
    details = document.find("InvoiceDetails")
    assert details is not None
    total = details.findtext("InvoiceTotalVatIncludedAmount")
    vat = details.findtext("InvoiceTotalVatAmount")
    net = details.findtext("InvoiceTotalVatExcludedAmount")
    for amount in (total, vat, net):
        assert amount and f"{amount}€" in compact
    assert details.findtext("InvoiceNumber") == str(invoice.number)
    for group in details.findall("VatSpecificationDetails"):
        assert f"{group.findtext('VatRatePercent')} %" in text
        assert f"{group.findtext('VatRateAmount')}€" in compact
    reference = document.findtext(
        "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier"
    )
    assert reference == invoice.reference
    assert reference in text.replace(" ", "")
    assert (
        document.findtext("MessageTransmissionDetails/MessageReceiverDetails/ToIdentifier")
        == "003702116752"
    )
    assert len(document.findall("InvoiceRow")) == invoice.lines.count()
    row_total = sum(
        (
            Decimal((row.findtext("RowAmount") or "").replace(",", "."))
            for row in document.findall("InvoiceRow")
        ),
        Decimal(0),
    )
    assert row_total == invoice.total


def test_an_rf_reference_goes_into_the_barcode_and_the_message(world):
    hold_meetings(world, count=1, late_cancellations=0)
    address_organisation(world)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        actor=world.owner,
    )
    invoice = actions.issue_invoice(
        invoice=draft, actor=world.owner, today=date(2026, 10, 1), use_rf_reference=True
    )
    document = etree.fromstring(finvoice_xml(invoice))
    remittance = document.find(
        "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier"
    )
    assert remittance is not None and remittance.get("IdentificationSchemeName") == "ISO"
    assert remittance.text == invoice.rf_reference
    assert (document.findtext("VirtualBankBarcode") or "").startswith("5")
    assert "RF" in pdf_text(invoice_pdf_bytes(invoice))


def test_payments_part_and_full_then_the_invoice_is_paid(world, owner_client):
    invoice = issued_invoice(world)
    url = f"/invoices/{invoice.uuid}/payments/"
    assert owner_client.post(url, {"amount": "2000.00", "paid_on": "2026-11-10"}).status_code == 422
    owner_client.post(url, {"amount": "200.00", "paid_on": "2026-11-10"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTLY_PAID
    owner_client.post(url, {"amount": "1004.80", "paid_on": "2026-11-12"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_an_unpaid_invoice_past_its_due_date_is_on_the_overdue_list(world, owner_client):
    invoice = issued_invoice(world, today=date(2020, 1, 1))
    page = owner_client.get("/invoices/?show=overdue").content.decode()
    assert f"/invoices/{invoice.uuid}/" in page


def test_a_credit_note_refers_to_the_original_and_frees_its_meetings(world, owner_client):
    invoice = issued_invoice(world)
    response = owner_client.post(f"/invoices/{invoice.uuid}/credit/")
    note = Invoice.objects.get(credited_invoice=invoice)
    assert response.url == f"/invoices/{note.uuid}/"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED
    assert invoice.number is not None
    assert note.number == invoice.number + 1 and note.total == -invoice.total
    document = etree.fromstring(finvoice_xml(note))
    assert document.findtext("InvoiceDetails/OriginalInvoiceNumber") == str(invoice.number)
    assert "HYVITYSLASKU" in pdf_text(invoice_pdf_bytes(note))
    again = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 10, 31),
        actor=world.owner,
    )
    assert again.total == invoice.total


def test_the_assistant_bills_but_a_fellow_supervisor_and_another_practice_get_404(
    world, assistant_client, colleague_client, other_client
):
    invoice = issued_invoice(world)
    assert assistant_client.get(f"/invoices/{invoice.uuid}/pdf/").status_code == 200
    for http in (colleague_client, other_client):
        assert http.get(f"/invoices/{invoice.uuid}/").status_code == 404
        assert http.post(f"/invoices/{invoice.uuid}/credit/").status_code == 404
    assert str(invoice.uuid) not in colleague_client.get("/invoices/").content.decode()


def test_issuing_refuses_without_the_address_the_law_requires(world, owner_client):
    hold_meetings(world, count=1, late_cancellations=0)
    draft = actions.propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        actor=world.owner,
    )
    owner_client.post(f"/invoices/{draft.uuid}/issue/")
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT and draft.number is None

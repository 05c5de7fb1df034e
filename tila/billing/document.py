"""What an issued invoice says, in one place, for the PDF and the Finvoice message alike,
so that the two cannot disagree."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from stdnum.fi import alv

from tila.billing import amounts
from tila.billing.models import Invoice, InvoiceLine
from tila.lib import code128
from tila.lib.payments import (
    format_national_reference,
    format_rf_reference,
    virtual_barcode,
)
from tila.practices.models import VatTreatment


def exemption_note(treatment: str) -> str:
    """The legal ground printed for a line without VAT (Arvonlisäverolaki 1501/1993)."""
    if treatment == VatTreatment.EXEMPT:
        return _("VAT 0 %: exempt health and medical care service (VAT Act 34 §)")
    if treatment == VatTreatment.NOT_REGISTERED:
        return _("VAT 0 %: the seller is not registered for VAT (small business, VAT Act 3 §)")
    return ""


def vat_number(business_id: str) -> str:
    """FI + the business ID's eight digits."""
    if not business_id:
        return ""
    number = "FI" + business_id.replace("-", "")
    return number if alv.is_valid(number) else ""


@dataclass(frozen=True)
class InvoiceDocument:
    invoice: Invoice
    lines: list[InvoiceLine]
    totals: amounts.Totals
    notes: list[str]
    reference_printed: str
    barcode: str
    barcode_svg: str
    seller_vat_number: str

    @property
    def amount_due(self) -> Decimal:
        return self.totals.gross


def build_document(invoice: Invoice) -> InvoiceDocument:
    lines = list(invoice.lines.all())
    totals = amounts.totals([line.as_amount() for line in lines])
    treatments = sorted({line.vat_treatment for line in lines})
    notes = [note for note in (exemption_note(t) for t in treatments) if note]
    if invoice.use_rf_reference and invoice.reference:
        printed = format_rf_reference(invoice.rf_reference)
    else:
        printed = format_national_reference(invoice.reference)
    barcode = ""
    barcode_svg = ""
    if invoice.reference and invoice.seller_iban and not invoice.is_credit_note:
        barcode = virtual_barcode(
            iban=invoice.seller_iban,
            amount=totals.gross,
            reference=invoice.payment_reference,
            due=invoice.due_date,
        )
        barcode_svg = code128.svg(barcode, label=barcode)
    return InvoiceDocument(
        invoice=invoice,
        lines=lines,
        totals=totals,
        notes=notes,
        reference_printed=printed,
        barcode=barcode,
        barcode_svg=barcode_svg,
        seller_vat_number=vat_number(invoice.seller_business_id)
        if invoice.seller_vat_registered
        else "",
    )

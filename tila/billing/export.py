"""Invoices and their lines as CSV for the bookkeeper: one row per line, the invoice's facts
repeated on each. Semicolons and decimal commas, as Finnish spreadsheets expect, and a byte
order mark so that Excel reads UTF-8."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from tila.billing.models import Invoice

# A cell a spreadsheet would take for a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that could start a formula gets a leading apostrophe and stays text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number(value: Decimal) -> str:
    """Our own amounts (a credit note's are negative) are numbers, not text: never prefixed."""
    return f"{value:.2f}".replace(".", ",")


def invoices_csv(invoices: Iterable[Invoice]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Invoice number"),
            _("Kind"),
            _("Invoice date"),
            _("Due date"),
            _("Status"),
            _("Buyer"),
            _("Buyer's business ID"),
            _("Reference number"),
            _("Credited invoice"),
            _("Description"),
            _("Date of supply"),
            _("Quantity"),
            _("Unit"),
            _("Unit price (without VAT)"),
            _("VAT %"),
            _("Net"),
            _("VAT"),
            _("Gross"),
        ]
    )
    for invoice in invoices:
        credited = invoice.credited_invoice.number if invoice.credited_invoice else None
        for line in invoice.lines.all():
            writer.writerow(
                [
                    invoice.number,
                    invoice.get_kind_display(),
                    invoice.invoice_date.isoformat() if invoice.invoice_date else "",
                    invoice.due_date.isoformat() if invoice.due_date else "",
                    invoice.get_status_display(),
                    neutralise(invoice.buyer_name),
                    neutralise(invoice.buyer_business_id),
                    invoice.reference,
                    credited or "",
                    neutralise(line.description),
                    line.service_date.isoformat() if line.service_date else "",
                    number(line.quantity),
                    neutralise(line.unit),
                    number(line.unit_price),
                    number(line.vat_rate),
                    number(line.net),
                    number(line.vat),
                    number(line.gross),
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")

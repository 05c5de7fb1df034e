"""The invoice as an A4 PDF (WeasyPrint), in Finnish: the language of the invoice's law."""

import logging
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from schwifty import IBAN

# WeasyPrint reports each layout step at INFO (even while it is imported); a server log needs
# none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402

from tila.billing.document import build_document  # noqa: E402
from tila.billing.models import Invoice, PaymentReminder  # noqa: E402
from tila.lib import code128  # noqa: E402
from tila.lib.payments import virtual_barcode  # noqa: E402

STYLESHEET = Path(__file__).with_name("invoice.css")


def invoice_html(invoice: Invoice) -> str:
    with translation.override("fi"):  # the notes on exemptions are printed in Finnish too
        doc = build_document(invoice)
        return render_to_string(
            "billing/pdf/invoice.html",
            {
                "invoice": invoice,
                "doc": doc,
                "iban_printed": IBAN(invoice.seller_iban).formatted if invoice.seller_iban else "",
                # Our own drawing of digits only (tila.lib.code128), safe to embed.
                "barcode_svg": mark_safe(doc.barcode_svg),  # noqa: S308
                "LANGUAGE_CODE": "fi",
            },
        )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF bytes. Nothing is fetched from the network: no URLs are resolved."""
    html = HTML(string=invoice_html(invoice), url_fetcher=_no_fetching)
    return bytes(html.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))


def reminder_html(reminder: PaymentReminder) -> str:
    invoice = reminder.invoice
    with translation.override("fi"):
        doc = build_document(invoice)
    barcode = ""
    if invoice.seller_iban and invoice.reference:
        barcode = virtual_barcode(
            iban=invoice.seller_iban,
            amount=reminder.amount_due,
            reference=invoice.payment_reference,
            due=reminder.due_date,
        )
    with translation.override("fi"):
        return render_to_string(
            "billing/pdf/reminder.html",
            {
                "reminder": reminder,
                "invoice": invoice,
                "doc": doc,
                "paid": invoice.total + reminder_fees_before(reminder) - reminder.open_amount,
                "earlier_fees": reminder_fees_before(reminder),
                "basis": reminder.interest.basis,
                "iban_printed": IBAN(invoice.seller_iban).formatted if invoice.seller_iban else "",
                "barcode": barcode,
                # Our own drawing of digits only (tila.lib.code128), safe to embed.
                "barcode_svg": mark_safe(code128.svg(barcode, label=barcode)) if barcode else "",  # noqa: S308
                "LANGUAGE_CODE": "fi",
            },
        )


def reminder_fees_before(reminder: PaymentReminder) -> Decimal:
    earlier = reminder.invoice.reminders.filter(number__lt=reminder.number)
    return sum((r.fee for r in earlier), Decimal("0.00"))


def reminder_pdf(reminder: PaymentReminder) -> bytes:
    html = HTML(string=reminder_html(reminder), url_fetcher=_no_fetching)
    return bytes(html.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the invoice PDF loads nothing from outside: {url}")

"""The invoice as an A4 PDF (WeasyPrint), in Finnish: the language of the invoice's law."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from schwifty import IBAN
from weasyprint import CSS, HTML

from tila.billing.document import build_document
from tila.billing.models import Invoice

STYLESHEET = Path(__file__).with_name("invoice.css")


def invoice_html(invoice: Invoice) -> str:
    doc = build_document(invoice)
    with translation.override("fi"):
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


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the invoice PDF loads nothing from outside: {url}")

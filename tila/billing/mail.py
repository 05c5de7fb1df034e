"""The invoice and the payment reminder as email to the buyer's billing address: a short
plain text in Finnish (the buyer's language: an orderer has no other) with the PDF attached."""

from email.utils import formataddr

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from schwifty import IBAN

from tila.billing.document import build_document
from tila.billing.models import Invoice, PaymentReminder
from tila.billing.pdf import invoice_pdf, reminder_pdf

LANGUAGE = "fi"


def _reply_to(invoice: Invoice) -> list[str]:
    return [formataddr((invoice.seller_name, invoice.seller_email))] if invoice.seller_email else []


def _context(invoice: Invoice) -> dict[str, object]:
    return {
        "invoice": invoice,
        "doc": build_document(invoice),
        "iban_printed": IBAN(invoice.seller_iban).formatted if invoice.seller_iban else "",
    }


def invoice_message(invoice: Invoice) -> EmailMessage:
    with translation.override(LANGUAGE):
        subject = _("Invoice %(number)s from %(seller)s") % {
            "number": invoice.number,
            "seller": invoice.seller_name,
        }
        body = render_to_string("billing/email/invoice.txt", _context(invoice))
    message = EmailMessage(
        subject=subject, body=body, to=[invoice.email_to], reply_to=_reply_to(invoice)
    )
    message.attach(f"lasku-{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    return message


def reminder_message(reminder: PaymentReminder) -> EmailMessage:
    invoice = reminder.invoice
    with translation.override(LANGUAGE):
        subject = _("Payment reminder: invoice %(number)s from %(seller)s") % {
            "number": invoice.number,
            "seller": invoice.seller_name,
        }
        context = {**_context(invoice), "reminder": reminder}
        body = render_to_string("billing/email/reminder.txt", context)
    message = EmailMessage(
        subject=subject, body=body, to=[reminder.email_to], reply_to=_reply_to(invoice)
    )
    message.attach(
        f"maksumuistutus-{invoice.number}-{reminder.number}.pdf",
        reminder_pdf(reminder),
        "application/pdf",
    )
    message.attach(f"lasku-{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    return message

"""Access helpers for invoices: 404 for anything the member may not see.

The owner and an assistant (who bills, domain README §2) see all of the practice's invoices;
a supervisor in a shared practice sees those that bill only contracts she supervises. Whoever
sees an invoice may also work on it (issue, mark sent, record payments, credit)."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.billing.models import Invoice, InvoiceLine, InvoiceQuerySet, PaymentReminder
from tila.practices.models import Membership


def visible_invoices(membership: Membership) -> InvoiceQuerySet:
    return Invoice.objects.visible_to(membership)


def access_invoice(membership: Membership, invoice_uuid: UUID) -> Invoice:
    return get_object_or_404(
        visible_invoices(membership).select_related("practice", "organisation", "credited_invoice"),
        uuid=invoice_uuid,
    )


def access_invoice_line(membership: Membership, line_uuid: UUID) -> InvoiceLine:
    return get_object_or_404(
        InvoiceLine.objects.filter(invoice__in=visible_invoices(membership)).select_related(
            "invoice"
        ),
        uuid=line_uuid,
    )


def access_reminder(membership: Membership, reminder_uuid: UUID) -> PaymentReminder:
    return get_object_or_404(
        PaymentReminder.objects.filter(invoice__in=visible_invoices(membership)).select_related(
            "invoice", "invoice__practice"
        ),
        uuid=reminder_uuid,
    )

"""Invoice mail as django-tasks background tasks.

``queue_invoice_email`` and ``send_reminder`` queue a delivery in their own transaction. A
delivery that the mail server refuses queues itself again later (``tila.lib.retry``) and is
logged; after the last try it fails and stays in the task table as failed. The invoice is
marked sent only when the mail server has taken the message."""

from django_tasks import task

from tila.billing import actions
from tila.billing.mail import invoice_message, reminder_message
from tila.billing.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceStatus,
    PaymentReminder,
    SentVia,
)
from tila.lib.retry import retry_later


@task()
def deliver_invoice_mail(invoice_uuid: str, attempt: int) -> bool:
    """Email the invoice's PDF. Returns whether it was sent now."""
    invoice = (
        Invoice.objects.select_related("practice", "organisation", "credited_invoice")
        .filter(uuid=invoice_uuid, email_queued_at__isnull=False)
        .exclude(status__in=[InvoiceStatus.DRAFT, InvoiceStatus.CREDITED])
        .first()
    )
    if invoice is None or invoice.sent_via == SentVia.EMAIL:
        return False  # credited meanwhile, or already sent
    try:
        invoice_message(invoice).send()
    except Exception as error:
        retry_later(
            deliver_invoice_mail, [invoice_uuid], attempt, f"Invoice {invoice.number} mail", error
        )
        return False
    actions.record_invoice_emailed(invoice=invoice)
    return True


@task()
def deliver_reminder_mail(reminder_uuid: str, attempt: int) -> bool:
    """Email a payment reminder with the original invoice. Returns whether it was sent now."""
    reminder = (
        PaymentReminder.objects.select_related("invoice", "invoice__practice")
        .filter(uuid=reminder_uuid, sent_at__isnull=True)
        .exclude(email_to="")
        .first()
    )
    if reminder is None or reminder.invoice.status not in OPEN_STATUSES:
        return False  # sent already, or paid or credited meanwhile
    try:
        reminder_message(reminder).send()
    except Exception as error:
        retry_later(
            deliver_reminder_mail,
            [reminder_uuid],
            attempt,
            f"Payment reminder {reminder.invoice.number}/{reminder.number} mail",
            error,
        )
        return False
    actions.record_reminder_emailed(reminder=reminder)
    return True

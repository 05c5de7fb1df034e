"""Emailing the invoice and payment reminders: real mail over SMTP to an in-process server,
sent by the real background worker, with the attached PDFs parsed back."""

import io
import re
from datetime import date
from decimal import Decimal
from email.message import EmailMessage

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tests.billing_helpers import issued_invoice
from tests.factories import World, at
from tests.mail_helpers import SmtpServer, _free_port, body
from tila.billing import actions
from tila.billing.models import Invoice, InvoiceStatus, PaymentReminder, SentVia
from tila.lib.payments import format_national_reference

BILLING = "laskut@tampere.example"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def pdfs(message: EmailMessage) -> dict[str, str]:
    """The text of each attached PDF by file name, spaces made plain and runs of them one."""
    found = {}
    for part in message.iter_attachments():
        assert part.get_content_type() == "application/pdf"
        content = part.get_content()
        assert isinstance(content, bytes) and content.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        found[str(part.get_filename())] = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    return found


def subject(message: EmailMessage) -> str:
    return re.sub(r"\s+", " ", str(message["Subject"])).strip()


@pytest.mark.django_db(transaction=True)
def test_the_invoice_is_emailed_as_a_pdf_and_becomes_sent(
    world: World, smtp_server: SmtpServer, owner_client: object
) -> None:
    invoice = issued_invoice(world)
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        response = owner_client.post(f"/invoices/{invoice.uuid}/email/")  # type: ignore[attr-defined]
        assert response.status_code == 302
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.ISSUED  # not before the mail has gone
        assert invoice.email_to == BILLING
        page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()  # type: ignore[attr-defined]
        assert "matkalla sähköpostilla osoitteeseen laskut@tampere.example" in page
        assert not smtp_server.messages
        run_worker()
    [message] = smtp_server.wait_for(1)
    assert message["To"].addresses[0].addr_spec == BILLING
    assert subject(message) == f"Lasku {invoice.number}, Työnohjaus Aalto"
    text = body(message)
    assert "Eräpäivä: 14.11.2026" in text
    assert "1\u00a0204,80\u00a0€" in text
    assert format_national_reference(invoice.reference) in text
    [(name, pdf)] = pdfs(message).items()
    assert name == f"lasku-{invoice.number}.pdf"
    assert f"{invoice.number}" in pdf and "LASKU" in pdf
    assert "1 204,80 €" in pdf
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT
    assert invoice.sent_via == SentVia.EMAIL
    assert invoice.sent_at == at(2026, 11, 2, 8)
    # Sending twice is refused; the worker sends nothing more.
    again = owner_client.post(f"/invoices/{invoice.uuid}/email/", follow=True)  # type: ignore[attr-defined]
    assert again.status_code == 200
    run_worker()
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_retried_and_the_sending_is_not_lost(
    world: World,
    smtp_server: SmtpServer,
    owner_client: object,
    settings: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    invoice = issued_invoice(world)
    settings.EMAIL_PORT = _free_port()  # type: ignore[attr-defined]  # nobody listens there
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        response = owner_client.post(f"/invoices/{invoice.uuid}/email/")  # type: ignore[attr-defined]
        assert response.status_code == 302
        run_worker()
        assert owner_client.get(f"/invoices/{invoice.uuid}/").status_code == 200  # type: ignore[attr-defined]
    assert "trying again" in caplog.text
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.sent_at is None
    [waiting] = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith="deliver_invoice_mail"
    )
    assert waiting.args_kwargs["args"] == [str(invoice.uuid), 1]
    settings.EMAIL_PORT = smtp_server.port  # type: ignore[attr-defined]  # the server is back
    with time_machine.travel(at(2026, 11, 2, 8, 2), tick=False):
        run_worker()
    [message] = smtp_server.wait_for(1)
    assert message["To"].addresses[0].addr_spec == BILLING
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT and invoice.sent_at == at(2026, 11, 2, 8, 2)


@pytest.mark.django_db
def test_without_a_billing_address_the_invoice_is_not_queued(world, owner_client):
    invoice = issued_invoice(world)
    world.organisation.billing_email = ""
    world.organisation.save()
    page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()
    assert "ei ole laskutuksen sähköpostiosoitetta" in page
    response = owner_client.post(f"/invoices/{invoice.uuid}/email/", follow=True)
    notes = [str(message) for message in response.context["messages"]]
    assert any("sähköpostiosoitetta" in note for note in notes), notes
    invoice.refresh_from_db()
    assert invoice.email_queued_at is None
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_invoice_mail").exists()


def overdue_invoice(world: World) -> Invoice:
    """Invoice 1000 of 1 204,80 €, due on 14.11.2026, 200 € of it paid."""
    invoice = issued_invoice(world)
    actions.record_payment(
        invoice=invoice, amount=Decimal("200.00"), paid_on=date(2026, 11, 10), actor=world.owner
    )
    return invoice


@pytest.mark.django_db(transaction=True)
def test_a_payment_reminder_is_emailed_with_the_original_and_recorded(
    world: World, smtp_server: SmtpServer, owner_client: object
) -> None:
    invoice = overdue_invoice(world)
    world.practice.reminder_fee = Decimal("5.00")
    world.practice.save()
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()  # type: ignore[attr-defined]
        assert "10,5 %" in page  # 2,5 % + 8 points: a business owes
        assert 'value="5,00"' in page  # the practice's fee is offered
        response = owner_client.post(  # type: ignore[attr-defined]
            f"/invoices/{invoice.uuid}/reminders/", {"fee": "5,00", "by_email": "on"}
        )
        assert response.status_code == 302
        run_worker()
    [message] = smtp_server.wait_for(1)
    assert message["To"].addresses[0].addr_spec == BILLING
    assert subject(message) == f"Maksumuistutus: lasku {invoice.number}, Työnohjaus Aalto"
    assert "Avoinna: 1\u00a0004,80\u00a0€" in body(message)
    attached = pdfs(message)
    assert set(attached) == {
        f"maksumuistutus-{invoice.number}-1.pdf",
        f"lasku-{invoice.number}.pdf",
    }
    reminder_text = attached[f"maksumuistutus-{invoice.number}-1.pdf"]
    for marking in [
        "MAKSUMUISTUTUS",
        "Alkuperäinen eräpäivä 14.11.2026",
        "Eräpäivä 8.12.2026",  # 14 days from the reminder
        format_national_reference(invoice.reference),
        "Avoinna 1 004,80 €",
        "Maksettu −200,00 €",
        "Muistutusmaksu (ei arvonlisäveroa) 5,00 €",
        "Maksettava 1 009,80 €",
        "Viivästyskorko 10,5 %",
        "korkolaki 4 a §",
    ]:
        assert marking in reminder_text, marking
    reminder = PaymentReminder.objects.get(invoice=invoice)
    assert reminder.number == 1
    assert reminder.reminder_date == date(2026, 11, 24)
    assert reminder.original_due_date == date(2026, 11, 14)
    assert reminder.fee == Decimal("5.00")
    assert reminder.open_amount == Decimal("1004.80")
    assert reminder.penalty_interest_percent == Decimal("10.50")
    assert reminder.sent_at == at(2026, 11, 24, 10)
    # The fee is owed too: the invoice is paid when the open amount and the fee are.
    actions.record_payment(
        invoice=invoice, amount=Decimal("1009.80"), paid_on=date(2026, 12, 1), actor=world.owner
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


@pytest.mark.django_db
def test_the_invoice_s_own_penalty_interest_and_a_reminder_to_send_by_post(world, owner_client):
    invoice = overdue_invoice(world)
    Invoice.objects.filter(pk=invoice.pk).update(penalty_interest_percent=Decimal("11.00"))
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        response = owner_client.post(f"/invoices/{invoice.uuid}/reminders/", {"fee": "0"})
        assert response.status_code == 302
        reminder = PaymentReminder.objects.get(invoice=invoice)
        assert reminder.email_to == "" and reminder.penalty_interest_percent == Decimal("11.00")
        assert reminder.reference_rate is None
        assert not DBTaskResult.objects.filter(task_path__endswith="deliver_reminder_mail").exists()
        download = owner_client.get(f"/reminders/{reminder.uuid}/pdf/")
    assert download.status_code == 200
    text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(download.content)).pages[0].extract_text())
    assert "Viivästyskorko 11,0 %" in text.replace("\u00a0", " ")
    assert "Muistutusmaksu" not in text


@pytest.mark.django_db
def test_a_reminder_is_refused_before_the_due_date_and_a_bad_fee_re_renders(world, owner_client):
    invoice = overdue_invoice(world)
    with time_machine.travel(at(2026, 11, 14, 10), tick=False):  # the due date itself
        response = owner_client.post(f"/invoices/{invoice.uuid}/reminders/", {"fee": "0"})
        assert response.status_code == 422
        assert "eräpäivän jälkeen" in response.content.decode()
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        response = owner_client.post(f"/invoices/{invoice.uuid}/reminders/", {"fee": "-1"})
        assert response.status_code == 422
        assert "vähintään 0" in response.content.decode()
    assert not PaymentReminder.objects.exists()


@pytest.mark.django_db
def test_a_private_payer_s_reminder_fee_is_capped_and_the_interest_is_the_general_one(world):
    invoice = overdue_invoice(world)
    Invoice.objects.filter(pk=invoice.pk).update(organisation=None)
    invoice.refresh_from_db()
    with pytest.raises(actions.BillingError):
        actions.send_reminder(
            invoice=invoice,
            actor=world.owner,
            fee=Decimal("10.00"),
            by_email=False,
            today=date(2026, 11, 24),
        )
    reminder = actions.send_reminder(
        invoice=invoice,
        actor=world.owner,
        fee=Decimal("5.00"),
        by_email=False,
        today=date(2026, 11, 24),
    )
    assert reminder.penalty_interest_percent == Decimal("9.50")  # 2,5 % + 7 points
    second = actions.send_reminder(
        invoice=invoice,
        actor=world.owner,
        fee=Decimal("5.00"),
        by_email=False,
        today=date(2026, 12, 9),
    )
    assert second.number == 2
    assert second.open_amount == Decimal("1009.80")  # the first fee is owed too


@pytest.mark.django_db
def test_the_overdue_list_shows_days_open_amount_and_reminders(world, owner_client):
    invoice = overdue_invoice(world)
    actions.send_reminder(
        invoice=invoice,
        actor=world.owner,
        fee=Decimal("0"),
        by_email=False,
        today=date(2026, 11, 20),
    )
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        page = owner_client.get("/invoices/overdue/").content.decode()
    assert f"/invoices/{invoice.uuid}/" in page
    assert ">10<" in page  # days past 14.11.2026
    assert "1\u00a0004,80\u00a0€" in page
    assert "1 muistutus, viimeksi 20.11.2026" in page
    with time_machine.travel(at(2026, 11, 10, 10), tick=False):
        assert (
            f"/invoices/{invoice.uuid}/"
            not in owner_client.get("/invoices/overdue/").content.decode()
        )


@pytest.mark.django_db(transaction=True)
def test_once_every_try_has_failed_the_invoice_can_be_sent_again_and_goes_once(
    world: World, smtp_server: SmtpServer, owner_client: object, settings: object
) -> None:
    invoice = issued_invoice(world)
    settings.EMAIL_PORT = _free_port()  # type: ignore[attr-defined]  # nobody listens there
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        owner_client.post(f"/invoices/{invoice.uuid}/email/")  # type: ignore[attr-defined]
        run_worker()
        refused = owner_client.post(f"/invoices/{invoice.uuid}/email/", follow=True)  # type: ignore[attr-defined]
        notes = [str(message) for message in refused.context["messages"]]
        assert any("jo matkalla" in note for note in notes), notes
    settings.EMAIL_PORT = smtp_server.port  # type: ignore[attr-defined]
    with time_machine.travel(at(2026, 11, 2, 20), tick=False):  # every try used up by now
        owner_client.force_login(world.owner)  # type: ignore[attr-defined]
        page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()  # type: ignore[attr-defined]
        assert "ei voitu toimittaa" in page
        response = owner_client.post(f"/invoices/{invoice.uuid}/email/")  # type: ignore[attr-defined]
        assert response.status_code == 302
        run_worker()  # the new task and the old one's retry: the invoice goes once
    [message] = smtp_server.wait_for(1)
    assert message["To"].addresses[0].addr_spec == BILLING
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT and invoice.sent_at == at(2026, 11, 2, 20)


@pytest.mark.django_db
def test_a_reminder_that_never_went_says_so_on_the_invoice_page(world, owner_client):
    invoice = overdue_invoice(world)
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        actions.send_reminder(invoice=invoice, actor=world.owner, fee=Decimal("0"), by_email=True)
        page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()
        assert "matkalla sähköpostilla" in page
    with time_machine.travel(at(2026, 11, 25, 10), tick=False):  # no worker ever took it
        owner_client.force_login(world.owner)
        page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()
    assert "ei voitu toimittaa osoitteeseen laskut@tampere.example" in page

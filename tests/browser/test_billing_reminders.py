"""Overdue invoices and a payment reminder on a phone: the list, the invoice's reminder form
with its penalty interest and fee, and the recorded reminder with its PDF."""

from decimal import Decimal

import pytest
import time_machine

from tests.billing_helpers import issued_invoice
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, at
from tila.billing.models import PaymentReminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 11, 24, 10))
def test_the_supervisor_reminds_of_an_overdue_invoice_on_a_phone(phone_page, world):
    invoice = issued_invoice(world)  # due on 14.11.2026
    world.practice.reminder_fee = Decimal("5.00")
    world.practice.save()
    page = phone_page
    log_in(page, world.owner.email, PASSWORD)

    page.goto("/invoices/overdue/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "billing-overdue-phone")
    page.get_by_role("link", name=str(invoice.number)).click()
    page.wait_for_load_state()

    form = page.locator("#reminders")
    assert "10,5 %" in form.inner_text()
    assert page.get_by_label("Muistutusmaksu (€)").input_value() == "5,00"
    page.get_by_role("button", name="Tee maksumuistutus").click()
    page.wait_for_load_state()
    assert "matkalla osoitteeseen laskut@tampere.example" in page.locator("main").inner_text()
    reminder = PaymentReminder.objects.get(invoice=invoice)
    assert reminder.fee == Decimal("5.00") and reminder.email_to == "laskut@tampere.example"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "billing-reminder-phone")
    with page.expect_download() as download:
        page.locator("#reminders").get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"maksumuistutus-{invoice.number}-1.pdf"

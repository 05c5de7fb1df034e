"""Reports, the Kela statement, the supervisor's own log and a supervisee's hours on a 375 px
phone: each page fits, the charts and their tables show, the downloads arrive."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in, log_in_by_code, screenshot
from tests.factories import PASSWORD
from tests.portal_helpers import member_of
from tests.test_billing_certificates import supervisee_with_history
from tests.test_billing_kela import therapist_in_supervision
from tests.test_billing_revenue import invoice_of_meetings
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 375


def fits(page) -> None:
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_reports_statement_and_logs_on_a_phone(phone_page, browser, live_server, world, tmp_path):
    invoice_of_meetings(
        world.contract, world.owner, [date(2026, 9, 22), date(2026, 10, 6)], date(2026, 10, 7)
    )
    supervisee_with_history(world)
    therapist, _contract = therapist_in_supervision(world)
    page = phone_page
    log_in(page, world.owner.email, PASSWORD)

    # Reports: four charts, each with its table behind "As a table".
    page.goto("/invoices/")
    page.get_by_role("link", name="Raportit").click()
    page.fill("#id_start", "2026-06-01")
    page.fill("#id_end", "2026-11-30")
    page.get_by_role("button", name="Näytä").click()
    fits(page)
    assert page.locator("svg.bar-chart[role=img]").count() == 4
    expect(
        page.get_by_role("img", name="Laskutus tilaajittain ilman arvonlisäveroa")
    ).to_be_visible()
    screenshot(page, "reports-phone")
    page.locator("#heading-delivered ~ details summary").click()
    expect(page.locator("#heading-delivered ~ details table")).to_be_visible()
    fits(page)
    screenshot(page, "reports-delivered-table-phone")

    # The Kela statement from the therapist's hours.
    page.goto(f"/people/{therapist.uuid}/hours/")
    fits(page)
    screenshot(page, "hours-ledger-kela-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Työnohjauslausunto Kelalle (PDF)").click()
    saved = tmp_path / "lausunto.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved)
    assert "Työnohjauslausunto" in text and therapist.name in text

    # Her own log of supervising hours, with names once she asks for them.
    page.goto("/invoices/reports/")
    page.get_by_role("link", name="Omat ohjaustuntini").click()
    page.fill("#id_start", "2026-09-01")
    page.fill("#id_end", "2026-11-30")
    page.get_by_role("button", name="Näytä").click()
    fits(page)
    expect(page.get_by_text("Asiakas 1").first).to_be_visible()
    screenshot(page, "supervising-log-phone")
    page.get_by_label("Näytä asiakkaiden nimet").check()
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_load_state()
    expect(page.get_by_text(world.client.name).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")

    # A supervisee's own hours in the portal, and her certificate once it is offered there.
    member = member_of(world.contract, 0)
    page.goto(f"/people/{member.person.uuid}/hours/")
    page.get_by_role("button", name="Tarjoa todistus portaalissa").click()
    page.wait_for_load_state()
    expect(
        page.get_by_role("button", name="Lopeta todistuksen tarjoaminen portaalissa")
    ).to_be_visible()
    fits(page)
    screenshot(page, "hours-ledger-offered-phone")
    invite_supervisee(member=member, actor=world.owner)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fi-FI",
        viewport={"width": PHONE, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    portal = context.new_page()
    log_in_by_code(portal, member.person.email)
    portal.goto("/portal/")
    portal.get_by_role("link", name="Työnohjaustuntini").click()
    fits(portal)
    expect(portal.get_by_text("3,75 h (225 min)")).to_be_visible()
    screenshot(portal, "portal-hours-phone")
    with portal.expect_download() as download:
        portal.get_by_role("link", name="Työnohjaustodistus (PDF)").click()
    saved = tmp_path / "todistus.pdf"
    download.value.save_as(saved)
    assert member.person.name in pdf_text(saved)
    context.close()

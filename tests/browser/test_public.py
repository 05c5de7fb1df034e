"""The public page of the demo practice: how it looks, whether it is accessible, and a
crisis inquiry from a visitor to the supervisor's pinned dashboard and a crisis contract."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tila.demo.seed import DEMO_PASSWORD, seed
from tila.intake.models import Inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def demo(settings):
    settings.TILA_PUBLIC_FORM_MIN_SECONDS = 0  # a robot fills the form faster than a person
    seed()


def serious_violations(page) -> list[dict[str, object]]:
    """axe-core's serious and critical findings on the page (run through DevTools, so the
    page's content security policy does not block it)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` at the repository root")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", ["/p/marja-kallio/", "/p/marja-kallio/inquiry/?crisis=1"])
def test_public_pages_pass_axe_and_fit_a_phone(page, phone_page, demo, path):
    name = "public-page" if path.endswith("kallio/") else "public-inquiry"
    page.goto(path)
    assert serious_violations(page) == []
    screenshot(page, name)
    phone_page.goto(path)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(phone_page) == []
    screenshot(phone_page, f"{name}-phone")


def test_the_demo_page_reads_like_a_supervisors_page(page, demo):
    page.goto("/p/marja-kallio/")
    expect(page.get_by_role("heading", name="Marja Kallio")).to_be_visible()
    for text in ["Miten työskentelen", "Suomen Työnohjaajat ry", "Palvelut ja hinnat", "220,00 €"]:
        assert page.get_by_text(text).first.is_visible(), text
    page.get_by_role("link", name="Tietosuojaseloste").click()
    expect(page.get_by_role("heading", name="Tietosuojaseloste")).to_be_visible()
    expect(page.get_by_text("2871543-8").first).to_be_visible()
    screenshot(page, "public-privacy")


def test_a_crisis_inquiry_reaches_the_supervisor_who_accepts_a_crisis_contract(page, demo):
    mail.outbox.clear()
    page.goto("/p/marja-kallio/")
    page.get_by_role("link", name="Lähetä kriisiyhteydenotto").click()
    page.get_by_label("Organisaatio (tilaaja)").check()
    page.get_by_label("Nimesi").fill("Kaisa Esimies")
    page.get_by_label("Organisaatio", exact=True).fill("Päiväkoti Satakieli")
    page.get_by_label("Sähköposti").fill("kaisa@example.test")
    page.get_by_label("Tiimi", exact=True).check()
    page.get_by_label("Mihin tarvitsette työnohjausta?").fill("Lapsi loukkaantui pihalla.")
    page.get_by_label("Paikan päällä").check()
    assert page.get_by_label("Kyse on kriisistä").is_checked()
    event = timezone.localtime() - timedelta(hours=3)
    page.get_by_label("Tapahtuman päivämäärä").fill(event.strftime("%Y-%m-%d"))
    page.get_by_label("Tapahtuman kellonaika").fill(event.strftime("%H:%M"))
    page.get_by_role("button", name="Lähetä yhteydenotto").click()
    page.wait_for_url("**/inquiry/sent/?crisis=1")
    screenshot(page, "public-inquiry-sent")
    inquiry = Inquiry.objects.get(name="Kaisa Esimies")
    assert inquiry.is_crisis
    # The crisis alert goes out from the background worker (`make run` runs one).
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"kaisa@example.test", "marja@tila.example"} <= recipients

    log_in(page, "marja@tila.example", DEMO_PASSWORD)
    pinned = page.locator(".crisis-panel")
    expect(pinned.get_by_text("Päiväkoti Satakieli")).to_be_visible()
    expect(pinned.get_by_text("Tapahtumasta 3 h")).to_be_visible()
    expect(pinned.get_by_text("Purkukeskustelu: nyt")).to_be_visible()
    screenshot(page, "dashboard-crisis")
    pinned.get_by_role("link", name="Päiväkoti Satakieli").click()
    expect(page.get_by_text("Lapsi loukkaantui pihalla.")).to_be_visible()
    page.get_by_role("button", name="Hyväksy kriisisopimus").click()
    page.wait_for_url("**/contracts/*/")
    expect(page.get_by_text("Kriisityönohjaus: Päiväkoti Satakieli").first).to_be_visible()

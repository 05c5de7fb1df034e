"""The supervisor records her absence on her phone, then previews a weekly series that runs
into Christmas Eve, her absence and a booked first conversation; she moves it and saves."""

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_public import serious_violations
from tests.factories import PASSWORD, at
from tests.intake_helpers import publish
from tila.intake.actions import book_slot
from tila.meetings.models import Absence, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 12, 1, 8))
def test_the_preview_shows_days_passed_over_and_a_booked_conversation(
    page, phone_page, live_server, world
):
    availability = publish(world.practice, world.owner)
    book_slot(
        availability=availability,
        start=at(2026, 12, 17, 10, 30),
        name="Ville Varaaja",
        email="v@x.fi",
    )

    log_in(phone_page, world.owner.email, PASSWORD)
    phone_page.goto("/absences/")
    phone_page.get_by_label("Ensimmäinen päivä").fill("2026-12-28")
    phone_page.get_by_label("Viimeinen päivä").fill("2027-01-03")
    phone_page.get_by_role("button", name="Tallenna").click()
    phone_page.wait_for_load_state()
    expect(phone_page.get_by_text("ma 28.12.2026 – su 3.1.2027")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(phone_page) == []
    screenshot(phone_page, "absences-phone")
    assert Absence.objects.filter(user=world.owner).count() == 1

    log_in(page, world.owner.email, PASSWORD)
    page.goto(f"/contracts/{world.contract.uuid}/meetings/plan/")
    page.get_by_label("Ensimmäinen tapaaminen alkaa").fill("2026-12-17T10:00")
    page.get_by_label("Tapaamisväli (viikkoa)").fill("1")
    page.get_by_label("Tapaamisten määrä").fill("3")
    page.get_by_role("button", name="Esikatsele").click()
    page.wait_for_load_state()
    preview = page.locator("section[aria-labelledby=preview-heading]")
    expect(preview.get_by_text("Arkipyhä: Jouluaatto")).to_be_visible()
    expect(preview.get_by_text("Poissaolosi 28.12.2026–3.1.2027")).to_be_visible()
    expect(preview.get_by_text("varattu tutustumiskeskustelu (Ville Varaaja)")).to_be_visible()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "series-preview-conflicts")

    # Saving with the clash left in saves nothing and says why.
    page.get_by_role("button", name="Suunnittele tapaamiset").click()
    page.wait_for_load_state()
    expect(page.get_by_text("menee päällekkäin toisen varauksen kanssa").first).to_be_visible()
    assert Meeting.objects.filter(contract=world.contract).count() == 1

    # An hour later, the series is free.
    page.get_by_label("Ensimmäinen tapaaminen alkaa").fill("2026-12-17T13:00")
    page.get_by_role("button", name="Esikatsele").click()
    page.wait_for_load_state()
    assert not page.get_by_role("alert").count()
    screenshot(page, "series-preview-free")
    page.get_by_role("button", name="Suunnittele tapaamiset").click()
    page.wait_for_url(f"**/contracts/{world.contract.uuid}/")
    starts = [
        m.start
        for m in Meeting.objects.filter(contract=world.contract).exclude(pk=world.meeting.pk)
    ]
    assert sorted(starts) == [at(2026, 12, 17, 13), at(2027, 1, 7, 13), at(2027, 1, 14, 13)]

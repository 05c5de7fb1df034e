"""The foundation's journey, in Chromium: orderer, team client, contract, meetings,
attendance and a late cancellation that is billable."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, object_page, screenshot
from tests.factories import PASSWORD
from tila.clients.models import Client, Organisation
from tila.contracts.models import Contract, GoalVisibility
from tila.meetings.models import Attendance, Meeting, MeetingStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = ["Aino Aho", "Eero Eskola", "Helmi Hovi", "Ilmari Ikonen", "Oona Orava"]


def test_supervisor_sets_up_a_team_contract_and_runs_its_meetings(page, world):
    log_in(page, world.owner.email, PASSWORD)

    # An orderer with a contact person.
    page.goto("/orderers/new/")
    page.fill("#id_name", "Kuopion kaupunki, varhaiskasvatus")
    page.fill("#id_business_id", "0204819-8")
    page.fill("#id_einvoice_address", "003702048198")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(object_page("orderers"))
    organisation = Organisation.objects.get(name="Kuopion kaupunki, varhaiskasvatus")
    page.goto(f"/orderers/{organisation.uuid}/contacts/new/")
    page.fill("#id_name", "Sanna Johtaja")
    page.fill("#id_email", "sanna@example.test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/orderers/{organisation.uuid}/")
    screenshot(page, "journey-1-orderer")

    # A team client with five members, supervised since six weeks ago.
    today = timezone.localdate()
    first = today - timedelta(weeks=6)
    page.goto(f"/clients/new/?organisation={organisation.uuid}")
    page.select_option("#id_kind", "team")
    page.fill("#id_name", "Päiväkoti Pihlaja, Siilit")
    page.fill("#id_members_since", first.isoformat())
    for index, name in enumerate(MEMBERS):
        page.fill(f"[name=members-{index}-name]", name)
        page.fill(f"[name=members-{index}-email]", f"member{index}@example.test")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(object_page("clients"))
    client = Client.objects.get(name="Päiväkoti Pihlaja, Siilit")
    assert client.current_members().count() == 5
    screenshot(page, "journey-2-client")

    # A contract from the catalogue's team service: two goals, ten meetings every three weeks.
    page.goto(f"/contracts/new/?client={client.uuid}&service={world.service.uuid}")
    page.fill("#id_title", "Siilien tiimityönohjaus")
    page.select_option("#id_organisation", str(organisation.pk))
    page.select_option(
        "#id_orderer_contact", label="Sanna Johtaja (Kuopion kaupunki, varhaiskasvatus)"
    )
    page.fill("#id_start_date", first.isoformat())
    page.fill("#id_end_date", (first + timedelta(weeks=30)).isoformat())
    page.fill("#id_meeting_count", "10")
    page.fill("#id_rhythm_weeks", "3")
    page.fill("[name=goals-0-text]", "Yhteinen käsitys perustehtävästä")
    page.select_option("[name=goals-0-visibility]", GoalVisibility.SHARED)
    page.fill("[name=goals-1-text]", "Uskallamme puhua vaikeista asioista")
    page.select_option("[name=goals-1-visibility]", GoalVisibility.SUPERVISEES)
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(object_page("contracts"))
    contract = Contract.objects.get(title="Siilien tiimityönohjaus")
    assert sorted(contract.goals.values_list("visibility", flat=True)) == ["shared", "supervisees"]
    assert contract.price_lines.get().unit_price == world.service.price
    screenshot(page, "journey-3-contract")

    # Ten meetings every three weeks.
    page.goto(f"/contracts/{contract.uuid}/meetings/plan/")
    page.fill("#id_start", f"{first.isoformat()}T14:00")
    page.fill("#id_every_weeks", "3")
    page.fill("#id_count", "10")
    page.locator("button[name=plan]").click()
    page.wait_for_url(f"**/contracts/{contract.uuid}/")
    meetings = list(Meeting.objects.filter(contract=contract).order_by("start"))
    assert len(meetings) == 10
    first_local, second_local = (timezone.localtime(m.start) for m in meetings[:2])
    assert second_local.date() - first_local.date() == timedelta(weeks=3)
    assert second_local.time() == first_local.time()  # the same clock time across DST

    # The first meeting was held: four of five present.
    page.goto(f"/meetings/{meetings[0].uuid}/")
    boxes = page.locator("input[name=present]")
    assert boxes.count() == 5
    for index in range(4):
        boxes.nth(index).check()
    boxes.nth(4).uncheck()
    page.locator(f"form[action='/meetings/{meetings[0].uuid}/held/'] button[type=submit]").click()
    page.wait_for_load_state()
    meetings[0].refresh_from_db()
    assert meetings[0].status == MeetingStatus.HELD
    assert Attendance.objects.filter(meeting=meetings[0], present=True).count() == 4
    screenshot(page, "journey-4-held")

    # The second was cancelled by the team three hours before it started: late, billable.
    second = meetings[1]
    cancelled_at = timezone.localtime(second.start) - timedelta(hours=3)
    page.goto(f"/meetings/{second.uuid}/cancel/")
    page.check("input[name=cancelled_by][value=supervisee]")
    page.fill("#id_cancelled_at", cancelled_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_reason", "Liian moni sairaana")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{second.uuid}/")
    second.refresh_from_db()
    assert second.status == MeetingStatus.CANCELLED_LATE
    assert second.billable
    expect(page.locator(".badge.billable").first).to_be_visible()
    screenshot(page, "journey-5-late-cancellation")

    # The contract page counts it: billable, and meeting 2 of 10 used.
    page.goto(f"/contracts/{contract.uuid}/")
    assert page.locator(".badge.cancelled_late").count() == 1
    assert page.locator(".badge.billable").count() == 2
    screenshot(page, "journey-6-contract-after")


def test_contract_page_works_on_a_phone(phone_page, world):
    log_in(phone_page, world.owner.email, PASSWORD)
    phone_page.goto(f"/contracts/{world.contract.uuid}/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(phone_page, "phone-contract")
    phone_page.goto("/dashboard/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_text("Valikko").click()
    expect(phone_page.locator(".menu .nav-list")).to_be_visible()
    expect(
        phone_page.locator(".menu-panel").get_by_role("button", name="Kirjaudu ulos")
    ).to_be_visible()
    screenshot(phone_page, "phone-dashboard-menu")

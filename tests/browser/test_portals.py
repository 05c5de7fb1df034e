"""Supervisees and orderer contacts log in by an emailed code, on a phone, and see their side."""

import pytest

from tests.browser.conftest import log_in_by_code, screenshot
from tila.contracts.models import GoalVisibility
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisee_logs_in_by_code_and_sees_her_meetings(phone_page, world):
    member = world.client.members.order_by("person__name").first()
    invite_supervisee(member=member, actor=world.owner)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    assert "ti 1.12.2026 klo 9.00" in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "portal-supervisee-home")


def test_orderer_contact_sees_dates_and_counts_but_no_content(phone_page, world):
    invite_contact(contact=world.contact, actor=world.owner)
    hidden = world.contract.goals.get(visibility=GoalVisibility.SUPERVISEES).text
    shared = world.contract.goals.get(visibility=GoalVisibility.SHARED).text
    log_in_by_code(phone_page, world.contact.email)
    phone_page.wait_for_url("**/orderer/")
    phone_page.get_by_role("link", name=world.contract.title).click()
    content = phone_page.content()
    assert "ti 1.12.2026 klo 9.00" in content
    assert shared in content
    assert hidden not in content
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "orderer-contract")

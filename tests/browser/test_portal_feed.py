"""A supervisee on her phone makes a private calendar link, which a calendar program then
reads without logging in; she revokes it and the link finds nothing."""

import pytest
import time_machine
from icalendar import Calendar

from tests.browser.conftest import log_in_by_code, screenshot
from tests.browser.test_public import serious_violations
from tests.factories import at
from tila.meetings.calendar import event_uid
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 11, 15, 12))
def test_a_supervisee_subscribes_to_her_meetings_and_revokes_the_link(phone_page, world):
    member = world.client.members.order_by("person__name").first()
    invite_supervisee(member=member, actor=world.owner)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    phone_page.get_by_role("link", name="Tilaa tapaamisesi kalenteriohjelmaasi").click()
    phone_page.wait_for_load_state()
    phone_page.get_by_role("button", name="Tee linkki").click()
    phone_page.wait_for_load_state()
    link = phone_page.get_by_label("Tilauslinkki").input_value()
    assert "/portal/calendar/feed/" in link
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(phone_page) == []
    screenshot(phone_page, "portal-calendar-subscription-phone")

    # A calendar program has no session: a fresh context reads the link.
    reader = phone_page.context.browser.new_context()
    response = reader.request.get(link)
    assert response.status == 200
    [event] = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(event["UID"]) == event_uid(world.meeting)
    assert str(event["SUMMARY"]) == "Työnohjaus 1/10"

    phone_page.get_by_role("button", name="Poista linkki käytöstä").click()
    phone_page.wait_for_load_state()
    assert reader.request.get(link).status == 404
    reader.close()

"""A group member reports her absence from her phone: the page says first whether it is in
time and what that means; the meeting stays for the group."""

import pytest
import time_machine

from tests.browser.conftest import log_in_by_code, screenshot
from tests.factories import at
from tila.meetings.models import Attendance, MeetingStatus
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 11, 15, 12))
def test_a_group_member_reports_her_absence_from_her_phone(phone_page, world):
    member = world.client.members.order_by("person__name").first()
    invite_supervisee(member=member, actor=world.owner)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    assert phone_page.get_by_role("link", name="Lisää kaikki tulevat tapaamiset kalenteriisi")
    screenshot(phone_page, "portal-home-calendar-and-absence-phone")
    meeting = phone_page.locator(f"#meeting-{world.meeting.uuid}")
    meeting.get_by_role("link", name="Ilmoita poissaolosta").click()
    phone_page.wait_for_url("**/cancel/")
    content = phone_page.content()
    assert "Ajoissa" in content and "ma 30.11.2026 klo 9.00" in content
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "portal-report-absence-phone")
    phone_page.get_by_role("button", name="Ilmoita poissaolostani").click()
    phone_page.wait_for_url(f"**/portal/#meeting-{world.meeting.uuid}")
    assert "Ilmoitit poissaolosta" in phone_page.content()
    row = Attendance.objects.get(meeting=world.meeting, member=member)
    assert row.absence_reported_at is not None and not row.absence_late
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED

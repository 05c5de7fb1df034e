"""A group member opens the link of her invitation on her phone, without logging in, and
tells that she will not come; the page says first whether it is in time."""

import pytest
import time_machine

from tests.browser.conftest import screenshot
from tests.factories import at
from tila.meetings.invitations import cancel_token
from tila.meetings.models import Attendance, MeetingStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 11, 15, 12))
def test_a_group_member_reports_her_absence_through_her_invitation_link(
    phone_page, live_server, world
):
    member = world.client.members.order_by("person__name").first()
    phone_page.goto(f"{live_server.url}/invitation/{cancel_token(world.meeting, member)}/")
    content = phone_page.content()
    assert "ti 1.12.2026 klo 9.00" in content
    assert (
        "ajoissa: sopimuksen mukaan poissaolosta kerrotaan viimeistään ma 30.11.2026 klo 9.00"
        in content
    )
    assert member.person.name not in content  # the page names no one
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "invitation-link-absence-phone")
    phone_page.get_by_role("button", name="En pääse paikalle").click()
    phone_page.wait_for_load_state()
    assert "Työnohjaaja tietää nyt" in phone_page.content()
    screenshot(phone_page, "invitation-link-absence-done-phone")
    row = Attendance.objects.get(meeting=world.meeting, member=member)
    assert row.absence_reported_at is not None and not row.absence_late
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED

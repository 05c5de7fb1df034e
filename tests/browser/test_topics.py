"""A supervisee logs in by an emailed code on a phone and brings a topic to her next meeting."""

import pytest
import time_machine

from tests.browser.conftest import log_in_by_code, screenshot
from tests.factories import at
from tila.portal.actions import invite_supervisee
from tila.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "Miten jaksamme syksyn kiireen keskellä?"


# Two weeks before the world's meeting of 1.12.2026, whatever today is (the clock ticks on).
@time_machine.travel(at(2026, 11, 15, 12))
def test_supervisee_sends_a_topic_from_her_phone(phone_page, world):
    member = world.client.members.order_by("person__name").first()
    invite_supervisee(member=member, actor=world.owner)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    meeting = phone_page.locator(f"#meeting-{world.meeting.uuid}")
    meeting.locator("textarea[name=text]").fill(TOPIC)
    meeting.locator("input[name=share_with_group]").check()
    meeting.locator("form.topic-form button[type=submit]").click()
    phone_page.wait_for_url(f"**/portal/#meeting-{world.meeting.uuid}")
    assert TOPIC in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "portal-topic-sent")
    topic = Topic.objects.get()
    assert topic.person == member.person and topic.meeting == world.meeting
    assert topic.share_with_group and topic.withdrawn_at is None
    assert TOPIC not in topic.text

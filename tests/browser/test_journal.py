"""A supervisee writes in her journal from a question on her phone and shares the entry into
her next meeting; her supervisor then reads it on that meeting's notes page."""

import pytest
import time_machine

from tests.browser.conftest import log_in, log_in_by_code, screenshot
from tests.factories import PASSWORD, at, make_meeting
from tila.audit.models import Action, AuditEvent
from tila.journal.models import JournalEntry
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = "Kollegan tuki auttoi, kun uskalsin pyytää sitä ääneen."


# Two weeks before the world's meeting of 1.12.2026, whatever today is (the clock ticks on).
@time_machine.travel(at(2026, 11, 15, 12))
def test_a_journal_entry_shared_into_the_next_meeting_reaches_the_supervisor(
    phone_page, page, world
):
    make_meeting(world.contract, world.owner, at(2026, 12, 22))
    member = world.client.members.order_by("person__name").first()
    invite_supervisee(member=member, actor=world.owner)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    phone_page.get_by_role("link", name="Avaa päiväkirjani").click()
    phone_page.wait_for_url("**/portal/journal/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "journal-home-phone")

    phone_page.get_by_role("link", name="Mikä auttoi?").click()
    phone_page.get_by_role("textbox", name="Mikä auttoi?").fill(ENTRY)
    phone_page.get_by_role("button", name="Tallenna merkintä").click()
    phone_page.wait_for_url("**/portal/journal/*/")
    # The next meeting is chosen already.
    chosen = phone_page.get_by_label("Tapaaminen").input_value()
    assert chosen == str(world.meeting.uuid)
    phone_page.get_by_role("button", name="Jaa tapaamiseen").click()
    phone_page.wait_for_load_state()  # the style sheet, before the page is measured
    assert "Merkintä jaettiin työnohjaajallesi" in phone_page.content()
    assert "ti 1.12.2026 klo 9.00" in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "journal-entry-shared-phone")

    entry = JournalEntry.objects.get()
    assert entry.shared_meeting == world.meeting and ENTRY not in entry.text

    log_in(page, world.owner.email, PASSWORD)
    page.goto(f"/meetings/{world.meeting.uuid}/notes/")
    shares = page.locator(".journal-shares-card")
    assert ENTRY in shares.inner_text() and member.person.name in shares.inner_text()
    screenshot(page, "journal-share-on-meeting-notes")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "journal-share-on-meeting-notes-phone")
    reads = AuditEvent.objects.filter(object_type="journal.JournalEntry", action=Action.READ)
    assert reads.count() == 1 and {e.actor_id for e in reads} == {world.owner.pk}

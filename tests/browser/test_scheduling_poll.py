"""A scheduling poll from start to end: the supervisor proposes times, a member answers on her
phone through the link in her mail (no account), and the supervisor, on her phone too, turns
the best time into a meeting."""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_public import serious_violations
from tests.factories import PASSWORD, at
from tests.mail_helpers import body
from tila.meetings.models import Meeting
from tila.scheduling import actions
from tila.scheduling.models import Choice, SchedulePoll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/poll/[A-Za-z0-9_-]+/)")


def fits_a_phone(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= 375)


def test_a_member_answers_on_her_phone_and_the_best_time_becomes_a_meeting(
    page, phone_page, live_server, world, smtp_server
):
    # The supervisor proposes three times from the contract's page.
    log_in(page, world.owner.email, PASSWORD)
    page.goto(f"/contracts/{world.contract.uuid}/")
    screenshot(page, "scheduling-contract-page")
    page.get_by_role("link", name="Ajankohtakyselyt").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Uusi ajankohtakysely").click()
    page.wait_for_load_state()
    for row, (start, end) in enumerate(
        [
            ("2027-03-02T13:00", "14:30"),
            ("2027-03-04T09:00", "10:30"),
            ("2027-03-09T13:00", "14:30"),
        ],
        start=1,
    ):
        page.get_by_label(f"Aika {row} alkaa").fill(start)
        page.locator(f"#end-{row}").fill(end)
    page.get_by_label("Vastaukset viimeistään").fill("2027-02-26T16:00")
    page.get_by_label("Viesti ryhmälle").fill("Valitaan kevään ensimmäinen kerta.")
    assert serious_violations(page) == []
    screenshot(page, "scheduling-new-poll")
    page.get_by_role("button", name="Lähetä kysely").click()
    page.wait_for_load_state()
    assert "Kysely on lähetetty ryhmälle." in page.content()
    poll = SchedulePoll.objects.get()
    times = list(poll.times.order_by("start"))
    assert [t.start for t in times] == [at(2027, 3, 2, 13), at(2027, 3, 4, 9), at(2027, 3, 9, 13)]

    page.goto("/dashboard/")
    assert "Avoimet ajankohtakyselyt" in page.content()
    screenshot(page, "scheduling-dashboard")

    # Each member's mail carries her own link; the worker sends them.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    members = list(world.client.current_members().order_by("person__name"))
    smtp_server.wait_for(len(members))
    first, second, third, *_rest = members
    [mail] = smtp_server.to(first.person.email)
    found = LINK.search(body(mail))
    assert found is not None
    for member, choices in (
        (second, [Choice.NO, Choice.YES, Choice.YES]),
        (third, [Choice.NO, Choice.YES, Choice.IF_NEEDED]),
    ):
        actions.answer_poll(
            invitee=poll.invitees.get(member=member), answers=dict(zip(times, choices, strict=True))
        )

    # The first member answers on her phone, without an account.
    phone_page.goto(found.group(1))
    content = phone_page.content()
    assert "Sopiiko tämä aika?" in content
    assert second.person.name not in content  # names were not allowed
    assert "Tähän mennessä: kyllä 2, tarvittaessa 0, ei 0" in content
    assert fits_a_phone(phone_page)
    assert serious_violations(phone_page) == []
    screenshot(phone_page, "scheduling-answer-phone")
    fieldsets = phone_page.locator("fieldset.poll-time")
    for index, label in enumerate(["Ei", "Kyllä", "Tarvittaessa"]):
        fieldsets.nth(index).get_by_text(label, exact=True).click()
    phone_page.get_by_role("button", name="Tallenna vastaukseni").click()
    phone_page.wait_for_load_state()
    assert "Kiitos, vastauksesi on tallennettu." in phone_page.content()
    assert fits_a_phone(phone_page)
    screenshot(phone_page, "scheduling-answer-saved-phone")

    # The supervisor, on her phone, sees the best time first and plans it as a meeting.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/polls/{poll.uuid}/")
    rows = page.locator("table.poll-results tbody tr")
    assert "to 4.3.2027 klo 9.00" in rows.first.inner_text()
    assert "Paras" in rows.first.inner_text()
    assert first.person.name in page.content()  # she always sees the names
    assert fits_a_phone(page)
    assert serious_violations(page) == []
    screenshot(page, "scheduling-results-phone")
    page.get_by_label(re.compile("to 4.3.2027 klo 9.00")).check()
    page.get_by_role("button", name="Suunnittele valituista ajoista tapaamiset").click()
    page.wait_for_load_state()
    assert "1 tapaaminen on suunniteltu ja kutsu lähetetty." in page.content()
    assert "Päätetty" in page.content()
    assert fits_a_phone(page)
    screenshot(page, "scheduling-decided-phone")
    meeting = Meeting.objects.get(contract=world.contract, start=at(2027, 3, 4, 9))
    assert meeting.end == at(2027, 3, 4, 10, 30)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/contracts/{world.contract.uuid}/polls/")
    assert "Päätetty" in page.content()
    screenshot(page, "scheduling-contract-polls")

    # The member's link now tells the chosen time.
    phone_page.reload()
    assert "työnohjaaja on valinnut ajan" in phone_page.content()
    screenshot(phone_page, "scheduling-answer-decided-phone")

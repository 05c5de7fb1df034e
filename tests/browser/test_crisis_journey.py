"""From a visitor's crisis inquiry to the invitations of the first debriefing: the visitor
sends the inquiry on the public page, the supervisor sees it pinned with the time since the
event, accepts the crisis contract, adds the team's members and plans the first meeting,
and the members' invitations arrive over SMTP with their iCalendar."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.mail_helpers import SmtpServer, body
from tila.accounts.models import User
from tila.contracts.models import Contract
from tila.demo.seed import DEMO_PASSWORD, seed
from tila.intake.models import Booking, BookingStatus
from tila.lib.public_holidays import finnish_holidays
from tila.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARJA = "marja@tila.example"
MEMBERS = [("Aino Lehto", "aino.lehto@example.test"), ("Pekka Salo", "pekka.salo@example.test")]


@pytest.fixture
def demo(settings):
    settings.TILA_PUBLIC_FORM_MIN_SECONDS = 0  # a robot fills the form faster than a person
    seed()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def free_debriefing_start(event: datetime) -> datetime:
    """The first whole hour of a working day, 24–72 hours after the event, when Marja has
    neither a meeting nor a booked conversation within two hours."""
    marja = User.objects.get(email=MARJA)
    moment = timezone.localtime(event + timedelta(hours=24)).replace(
        minute=0, second=0, microsecond=0
    )
    moment += timedelta(hours=1)
    days = finnish_holidays(moment.date(), moment.date() + timedelta(days=4))
    while moment < event + timedelta(hours=70):
        end = moment + timedelta(hours=2)
        busy = Meeting.objects.blocking().filter(
            supervisor=marja, start__lt=end, end__gt=moment
        ) or Booking.objects.filter(
            supervisor=marja, status=BookingStatus.CONFIRMED, start__lt=end, end__gt=moment
        )
        if 8 <= moment.hour <= 15 and moment.date() not in days and not busy:
            return moment
        moment = timezone.localtime(moment + timedelta(hours=1))
    raise AssertionError("the demo leaves Marja no free two hours for the debriefing")


def test_a_crisis_inquiry_becomes_a_planned_debriefing_with_invitations(
    page, demo, smtp_server: SmtpServer
):
    page.goto("/p/marja-kallio/")
    page.get_by_role("link", name="Lähetä kriisiyhteydenotto").click()
    page.wait_for_load_state()
    page.get_by_label("Organisaatio (tilaaja)").check()
    page.get_by_label("Nimesi").fill("Kaisa Esimies")
    page.get_by_label("Organisaatio", exact=True).fill("Päiväkoti Satakieli")
    page.get_by_label("Sähköposti").fill("kaisa@example.test")
    page.get_by_label("Tiimi", exact=True).check()
    page.get_by_label("Mihin tarvitsette työnohjausta?").fill("Lapsi loukkaantui pihalla.")
    page.get_by_label("Paikan päällä").check()
    event = timezone.localtime() - timedelta(hours=3)
    page.get_by_label("Tapahtuman päivämäärä").fill(event.strftime("%Y-%m-%d"))
    page.get_by_label("Tapahtuman kellonaika").fill(event.strftime("%H:%M"))
    page.get_by_role("button", name="Lähetä yhteydenotto").click()
    page.wait_for_url("**/inquiry/sent/?crisis=1")
    run_worker()  # the crisis alert and the asker's confirmation
    alerts = smtp_server.wait_for(2)
    assert {m["To"].addresses[0].addr_spec for m in alerts} >= {MARJA, "kaisa@example.test"}
    smtp_server.clear()

    log_in(page, MARJA, DEMO_PASSWORD)
    pinned = page.locator(".crisis-panel")
    expect(pinned.get_by_text("Päiväkoti Satakieli")).to_be_visible()
    expect(pinned.get_by_text("Tapahtumasta 3 h")).to_be_visible()
    screenshot(page, "crisis-journey-dashboard")
    pinned.get_by_role("link", name="Päiväkoti Satakieli").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Hyväksy kriisisopimus").click()
    page.wait_for_url("**/contracts/*/")
    contract = Contract.objects.get(title="Kriisityönohjaus: Päiväkoti Satakieli")

    # The team's members, who are the participants of the debriefing.
    for name, email in MEMBERS:
        page.get_by_role("link", name="Päiväkoti Satakieli").first.click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Lisää jäsen").click()
        page.wait_for_load_state()
        page.get_by_label("Nimi", exact=True).fill(name)
        page.get_by_label("Sähköposti", exact=True).fill(email)
        page.get_by_role("button", name="Tallenna").click()
        page.wait_for_load_state()
        expect(page.get_by_text(name).first).to_be_visible()
        page.goto(f"/contracts/{contract.uuid}/")

    start = free_debriefing_start(event)
    page.get_by_role("link", name="Suunnittele tapaamiset").click()
    page.wait_for_load_state()
    page.get_by_label("Ensimmäinen tapaaminen alkaa").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Tapaamisten määrä").fill("1")
    page.get_by_role("button", name="Esikatsele").click()
    page.wait_for_load_state()
    preview = page.locator("#preview-heading").locator("..")
    expect(preview.get_by_text(f"{start.day}.{start.month}.{start.year}")).to_be_visible()
    screenshot(page, "crisis-journey-plan-preview")
    page.get_by_role("button", name="Suunnittele tapaamiset").click()
    page.wait_for_url(f"**/contracts/{contract.uuid}/")
    expect(page.get_by_text("1 tapaaminen on suunniteltu")).to_be_visible()
    screenshot(page, "crisis-journey-planned")
    [meeting] = contract.meetings.all()
    assert meeting.start == start

    run_worker()
    invitations = smtp_server.wait_for(len(MEMBERS))
    assert {m["To"].addresses[0].addr_spec for m in invitations} == {e for _n, e in MEMBERS}
    for message in invitations:
        [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        content = part.get_content()
        [vevent] = Calendar.from_ical(
            content if isinstance(content, str) else content.decode()
        ).walk("VEVENT")
        assert vevent.decoded("dtstart") == start
        assert str(vevent["uid"]) == f"{meeting.uuid}@tila"
        assert "Päiväkoti Satakieli" not in str(vevent["summary"])
        assert f"klo {start.hour}.00" in body(message)

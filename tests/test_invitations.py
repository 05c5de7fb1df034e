"""Meeting invitations, changes, cancellations and reminders: real mail over SMTP to an
in-process server, sent by the real background worker, with the iCalendar parsed back."""

from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from tests.factories import World, at
from tests.mail_helpers import SmtpServer, _free_port, body
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.meetings.actions import cancel_meeting, move_meeting, plan_meetings
from tila.meetings.invitations import cancel_token
from tila.meetings.models import Attendance, CancelledBy, Meeting, MeetingStatus

HELSINKI = ZoneInfo("Europe/Helsinki")


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def calendar_of(message: EmailMessage) -> tuple[str, Calendar]:
    """The method and the parsed iCalendar of the message's one attachment."""
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    content = part.get_content()
    text = content if isinstance(content, str) else content.decode()
    return str(part.get_param("method")), Calendar.from_ical(text)


def subject(message: EmailMessage) -> str:
    """The subject as a mail program shows it (the parser keeps the space of a folded header)."""
    return str(message["Subject"]).strip()


def the_event(calendar: Calendar) -> dict[str, Any]:
    [event] = calendar.walk("VEVENT")
    return {
        "uid": str(event["uid"]),
        "sequence": event.decoded("sequence"),
        "start": event.decoded("dtstart"),
        "end": event.decoded("dtend"),
        "status": str(event["status"]),
        "summary": str(event["summary"]),
        "attendees": [str(a) for a in ([event["attendee"]] if "attendee" in event else [])],
        "organizer": str(event["organizer"]),
    }


def member_addresses(world: World) -> set[str]:
    return {m.person.email for m in world.client.current_members()}


def plan(world: World, start: datetime) -> Meeting:
    [meeting] = plan_meetings(
        contract=world.contract,
        supervisor=world.owner,
        slots=[(start, start + timedelta(minutes=90))],
        place="Kuusela, neuvotteluhuone",
        remote_link="",
        actor=world.owner,
    )
    return meeting


@pytest.mark.django_db(transaction=True)
def test_invitation_move_and_cancellation_keep_the_uid_and_raise_the_sequence(
    world: World, smtp_server: SmtpServer
) -> None:
    members = member_addresses(world)
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        meeting = plan(world, at(2026, 11, 10, 13))
        assert not smtp_server.messages  # nothing is sent before the worker runs
        run_worker()
        invitations = smtp_server.wait_for(len(members))
        assert {m["To"].addresses[0].addr_spec for m in invitations} == members
        # The orderer's contact person hears nothing: the contract does not say so.
        assert not smtp_server.to(world.contact.email)
        method, calendar = calendar_of(invitations[0])
        first = the_event(calendar)
        assert method == "REQUEST"
        assert str(calendar["method"]) == "REQUEST"
        assert first["uid"] == f"{meeting.uuid}@tila"
        assert first["sequence"] == 0
        assert first["start"] == datetime(2026, 11, 10, 13, tzinfo=HELSINKI)
        assert first["start"].tzinfo.key == "Europe/Helsinki"
        assert first["end"] == datetime(2026, 11, 10, 14, 30, tzinfo=HELSINKI)
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Helsinki"
        assert first["organizer"] == f"mailto:{world.owner.email}"
        # Each invitation names its own recipient only, and never the client.
        assert first["attendees"] == [f"mailto:{invitations[0]['To'].addresses[0].addr_spec}"]
        assert world.client.name not in first["summary"]
        text = body(invitations[0])
        assert "ti 10.11.2026 klo 13.00" in text
        assert "Kuusela, neuvotteluhuone" in text
        assert world.client.name not in text
        assert "Työnohjaus" in subject(invitations[0])

        smtp_server.clear()
        move_meeting(
            meeting=meeting,
            start=at(2026, 11, 12, 9),
            end=at(2026, 11, 12, 10, 30),
            place="",
            remote_link="https://meet.example.test/abc",
            actor=world.owner,
        )
        run_worker()
        moved = smtp_server.wait_for(len(members))
        method, calendar = calendar_of(moved[0])
        second = the_event(calendar)
        assert method == "REQUEST"
        assert second["uid"] == first["uid"]
        assert second["sequence"] == 1
        assert second["start"] == datetime(2026, 11, 12, 9, tzinfo=HELSINKI)
        assert subject(moved[0]).startswith("Siirretty")

        smtp_server.clear()
        meeting.refresh_from_db()
        cancel_meeting(
            meeting=meeting,
            cancelled_by=CancelledBy.SUPERVISOR,
            cancelled_at=at(2026, 11, 2, 8),
            reason="",
            actor=world.owner,
        )
        run_worker()
        cancelled = smtp_server.wait_for(len(members))
        method, calendar = calendar_of(cancelled[0])
        third = the_event(calendar)
        assert method == "CANCEL"
        assert str(calendar["method"]) == "CANCEL"
        assert third["uid"] == first["uid"]
        assert third["sequence"] == 2
        assert third["status"] == "CANCELLED"
        assert third["start"] == datetime(2026, 11, 12, 9, tzinfo=HELSINKI)
    # The first reminder was dropped when the meeting moved, the second when it was
    # cancelled: the day before, nothing goes out.
    smtp_server.clear()
    with time_machine.travel(at(2026, 11, 11, 9, 30), tick=False):
        run_worker()
    assert not smtp_server.messages


@pytest.mark.django_db(transaction=True)
def test_orderer_contact_is_invited_only_when_the_contract_says_so(
    world: World, smtp_server: SmtpServer
) -> None:
    world.contract.invitations_to_orderer = True
    world.contract.save()
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        plan(world, at(2026, 11, 10, 13))
        run_worker()
    smtp_server.wait_for(len(member_addresses(world)) + 1)
    [to_contact] = smtp_server.to(world.contact.email)
    assert "peru" not in body(to_contact).lower()  # no cancellation link for the orderer


@pytest.mark.django_db(transaction=True)
def test_english_speaker_gets_english_mail(world: World, smtp_server: SmtpServer) -> None:
    person = world.client.current_members()[0].person
    Person.objects.filter(pk=person.pk).update(language="en")
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        plan(world, at(2026, 11, 10, 13))
        run_worker()
    smtp_server.wait_for(len(member_addresses(world)))
    [english] = smtp_server.to(person.email)
    assert subject(english).startswith("Supervision")
    assert "Hello" in body(english)
    others = [m for m in smtp_server.messages if m is not english]
    assert all(subject(m).startswith("Työnohjaus") for m in others)


@pytest.mark.django_db(transaction=True)
def test_reminder_goes_out_a_day_before(world: World, smtp_server: SmtpServer) -> None:
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        plan(world, at(2026, 11, 10, 13))
        run_worker()
    smtp_server.wait_for(len(member_addresses(world)))
    smtp_server.clear()
    with time_machine.travel(at(2026, 11, 9, 12, 59), tick=False):
        run_worker()
    assert not smtp_server.messages
    with time_machine.travel(at(2026, 11, 9, 13, 1), tick=False):
        run_worker()
    reminders = smtp_server.wait_for(len(member_addresses(world)))
    assert [subject(m) for m in reminders] == [
        "Muistutus: työnohjaus ti 10.11.2026 klo 13.00"
    ] * len(reminders)
    assert "ti 10.11.2026 klo 13.00" in body(reminders[0])


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_retried_and_never_breaks_the_change(
    world: World, smtp_server: SmtpServer, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_PORT = _free_port()  # type: ignore[attr-defined]  # nobody listens there
    members = member_addresses(world)
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        meeting = plan(world, at(2026, 11, 10, 13))
        run_worker()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert "trying again" in caplog.text
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith="deliver_meeting_mail"
    )
    assert waiting.count() == len(members)
    assert all(t.args_kwargs["args"][3] == 1 for t in waiting)  # the second try
    settings.EMAIL_PORT = smtp_server.port  # type: ignore[attr-defined]  # the server is back
    with time_machine.travel(at(2026, 11, 2, 8) + timedelta(seconds=30), tick=False):
        run_worker()  # not yet: the next try is a minute later
    assert not smtp_server.messages
    with time_machine.travel(at(2026, 11, 2, 8, 2), tick=False):
        run_worker()
    arrived = smtp_server.wait_for(len(members))
    assert {m["To"].addresses[0].addr_spec for m in arrived} == members


def individual(world: World) -> tuple[Client, ClientMember]:
    client = Client.objects.create(
        practice=world.practice, kind=ClientKind.INDIVIDUAL, name="Liisa"
    )
    person = Person.objects.create(
        practice=world.practice, name="Liisa Laine", email="liisa@example.test"
    )
    member = ClientMember.objects.create(client=client, person=person, joined_on=date(2026, 1, 1))
    return client, member


@pytest.mark.django_db(transaction=True)
def test_individual_cancels_through_her_link_late_and_everyone_is_told(
    world: World, smtp_server: SmtpServer, client: object
) -> None:
    solo, member = individual(world)
    world.contract.client = solo
    world.contract.save()
    with time_machine.travel(at(2026, 11, 2, 8), tick=False):
        meeting = plan(world, at(2026, 11, 10, 13))
        run_worker()
        [invitation] = smtp_server.wait_for(1)
    link = cancel_token(meeting, member)
    assert f"/invitation/{link}/" in body(invitation)
    smtp_server.clear()
    with time_machine.travel(at(2026, 11, 9, 20), tick=False):  # 17 h before: late
        page = client.get(f"/invitation/{link}/")  # type: ignore[attr-defined]
        assert page.status_code == 200
        assert "myöhässä" in page.content.decode()
        done = client.post(f"/invitation/{link}/")  # type: ignore[attr-defined]
        assert done.status_code == 200
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CANCELLED_LATE
        assert meeting.cancelled_by == CancelledBy.SUPERVISEE
        assert meeting.cancelled_by_member == member
        assert meeting.cancelled_at == at(2026, 11, 9, 20)
        run_worker()
        [cancellation] = smtp_server.wait_for(1)
        method, calendar = calendar_of(cancellation)
        assert method == "CANCEL"
        assert the_event(calendar)["sequence"] == 1
        # Posting again changes nothing.
        assert client.post(f"/invitation/{link}/").status_code == 200  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_group_member_reports_her_absence_through_her_link(world: World, client: object) -> None:
    member = world.client.current_members()[0]
    link = cancel_token(world.meeting, member)
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        assert client.post(f"/invitation/{link}/").status_code == 200  # type: ignore[attr-defined]
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED
    row = Attendance.objects.get(meeting=world.meeting, member=member)
    assert row.absence_reported_at == at(2026, 11, 20, 9)
    assert row.absence_late is False


@pytest.mark.django_db
def test_a_tampered_or_foreign_link_is_a_404(world: World, client: object) -> None:
    member = world.client.current_members()[0]
    link = cancel_token(world.meeting, member)
    assert client.get(f"/invitation/{link[:-2]}xx/").status_code == 404  # type: ignore[attr-defined]
    foreign = cancel_token(world.other_meeting, member)
    assert client.get(f"/invitation/{foreign}/").status_code == 404  # type: ignore[attr-defined]

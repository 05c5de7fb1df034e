"""The poll's links by real mail over SMTP, sent by the real background worker."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client as HttpClient
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import World, at
from tests.mail_helpers import SmtpServer, _free_port, body
from tests.scheduling_helpers import make_poll
from tila.clients.models import ClientMember, Person
from tila.scheduling.actions import answer_poll, close_poll
from tila.scheduling.links import hash_token
from tila.scheduling.models import PollInvitee

NOW = at(2026, 11, 2, 8)
LINK = re.compile(r"https?://[^/\s]+(/poll/([A-Za-z0-9_-]+)/)")


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def subject(message) -> str:
    return str(message["Subject"]).strip()


@pytest.mark.django_db(transaction=True)
def test_each_member_gets_her_own_link_in_her_own_language(
    world: World, smtp_server: SmtpServer
) -> None:
    emma = Person.objects.create(
        practice=world.practice, name="Emma English", email="emma@example.test", language="en"
    )
    ClientMember.objects.create(client=world.client, person=emma, joined_on=NOW.date())
    with time_machine.travel(NOW, tick=False):
        poll = make_poll(world, note="Valitaan kevään ensimmäinen kerta.")
        assert not smtp_server.messages  # nothing is sent before the worker runs
        run_worker()
    addresses = {m.person.email for m in world.client.current_members()}
    arrived = smtp_server.wait_for(len(addresses))
    assert {m["To"].addresses[0].addr_spec for m in arrived} == addresses
    [english] = smtp_server.to("emma@example.test")
    assert subject(english) == "Scheduling poll: when would supervision suit you?"
    text = body(english)
    assert "Hello Emma English," in text
    assert "Tue 17.11.2026 at 13.00–14.30" in text or "17.11.2026" in text
    assert "Valitaan kevään ensimmäinen kerta." in text
    assert "The other members do not see your name" in text
    finnish = smtp_server.to(next(a for a in addresses if a != "emma@example.test"))[0]
    assert subject(finnish) == "Ajankohtakysely: milloin työnohjaus sopisi sinulle?"
    assert "Hei " in body(finnish)
    assert "Jäsen" not in body(finnish).split("\n", 1)[1]  # no other member is named
    tokens = set()
    for message in arrived:
        found = LINK.search(body(message))
        assert found, "the mail carries the link"
        path, token = found.groups()
        tokens.add(token)
        invitee = PollInvitee.objects.get(token_hash=hash_token(token))
        assert invitee.member.person.email == message["To"].addresses[0].addr_spec
        with time_machine.travel(NOW, tick=False):
            page = HttpClient().get(path)
        assert page.status_code == 200
    assert len(tokens) == len(addresses)
    assert poll.invitees.count() == len(addresses)


@pytest.mark.django_db(transaction=True)
def test_a_refused_mail_is_tried_again_and_a_closed_poll_sends_nothing(
    world: World, smtp_server: SmtpServer, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_PORT = _free_port()  # type: ignore[attr-defined]  # nobody listens there
    with time_machine.travel(NOW, tick=False):
        poll = make_poll(world)
        run_worker()
    assert "trying again" in caplog.text
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith="deliver_poll_link"
    )
    assert waiting.count() == poll.invitees.count()
    assert all(t.args_kwargs["args"][1] == 1 for t in waiting)  # the second try
    settings.EMAIL_PORT = smtp_server.port  # type: ignore[attr-defined]  # the server is back
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        run_worker()
    smtp_server.wait_for(poll.invitees.count())
    smtp_server.clear()
    again = make_poll(world, starts=[at(2026, 11, 26, 13)])
    close_poll(poll=again)
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        run_worker()
    assert not smtp_server.messages
    assert not again.invitees.exclude(token_hash="").exists()


@pytest.mark.django_db(transaction=True)
def test_a_day_before_the_deadline_those_who_have_not_answered_are_reminded(
    world: World, smtp_server: SmtpServer
) -> None:
    with time_machine.travel(NOW, tick=False):
        poll = make_poll(world)  # answers by 14.11. at 13.00
        run_worker()
    asked = list(world.client.current_members().order_by("person__name"))
    smtp_server.wait_for(len(asked))
    first_links = {
        m["To"].addresses[0].addr_spec: LINK.search(body(m)) for m in smtp_server.messages
    }
    smtp_server.clear()
    answered, waiting = asked[0], asked[1:]
    invitee = poll.invitees.get(member=answered)
    times = list(poll.times.all())
    answer_poll(invitee=invitee, answers=dict.fromkeys(times, "yes"), now=NOW)
    with time_machine.travel(at(2026, 11, 13, 12, 59), tick=False):
        run_worker()  # not yet
    assert not smtp_server.messages
    with time_machine.travel(at(2026, 11, 13, 13, 1), tick=False):
        run_worker()
    arrived = smtp_server.wait_for(len(waiting))
    assert {m["To"].addresses[0].addr_spec for m in arrived} == {m.person.email for m in waiting}
    reminder = arrived[0]
    assert subject(reminder).startswith("Muistutus: ajankohtakysely päättyy la 14.11.2026")
    assert "eikä vastaustasi ole vielä tullut" in body(reminder)
    assert "Tämä linkki korvaa aiemman viestin linkin." in body(reminder)
    address = reminder["To"].addresses[0].addr_spec
    found = LINK.search(body(reminder))
    old = first_links[address]
    assert found and old
    with time_machine.travel(at(2026, 11, 13, 14), tick=False):
        assert HttpClient().get(found.group(1)).status_code == 200
        assert HttpClient().get(old.group(1)).status_code == 404  # the new link replaces it
    assert poll.invitees.filter(reminded_at__isnull=False).count() == len(waiting)
    assert poll.invitees.get(member=answered).reminded_at is None
    smtp_server.clear()
    with time_machine.travel(at(2026, 11, 13, 15), tick=False):
        run_worker()
    assert not smtp_server.messages  # one reminder only


@pytest.mark.django_db(transaction=True)
def test_a_short_poll_gets_no_reminder_and_a_closed_one_sends_none(world: World) -> None:
    reminders = DBTaskResult.objects.filter(task_path__endswith="remind_poll")
    with time_machine.travel(NOW, tick=False):
        make_poll(world, deadline=NOW + timedelta(hours=30))
    assert not reminders.exists()
    with time_machine.travel(NOW, tick=False):
        poll = make_poll(world, starts=[at(2026, 11, 26, 13)])
    assert reminders.count() == 1
    close_poll(poll=poll)
    with time_machine.travel(at(2026, 11, 23, 14), tick=False):
        run_worker()
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_poll_reminder").exists()

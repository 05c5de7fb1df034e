from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import add_member, enrol_totp, make_practice, make_user
from tila.accounts.models import User
from tila.billing.models import Invoice, InvoiceStatus
from tila.clients.models import Client
from tila.contracts.models import Contract
from tila.demo.seed import (
    DEMO_LOGINS,
    DEMO_ORDERER,
    DEMO_PASSWORD,
    DEMO_SUPERVISEE,
    DEMO_TOTP_SECRET,
)
from tila.evaluations.models import EvaluationRound
from tila.meetings.models import Absence, Attendance, Meeting, MeetingStatus
from tila.practices.models import Practice
from tila.scheduling.models import SchedulePoll

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_creates_the_demo_practice_and_prints_the_logins():
    output = run_seed()
    assert "marja@tila.example" in output
    assert DEMO_PASSWORD in output
    marja = Practice.objects.get(slug="marja-kallio")
    forms = set(Contract.objects.filter(practice=marja).values_list("form", flat=True))
    assert forms == {"team", "therapy", "crisis"}
    assert Client.objects.filter(practice=marja).count() == 4
    assert Meeting.objects.filter(practice=marja, status=MeetingStatus.HELD).exists()
    assert Meeting.objects.filter(practice=marja, status=MeetingStatus.CANCELLED_LATE).count() == 1
    assert Practice.objects.count() == 2
    for login in DEMO_LOGINS:
        assert authenticate(email=login.email, password=DEMO_PASSWORD) is not None


def test_seed_adds_nothing_to_a_database_that_has_data():
    run_seed()
    meetings = Meeting.objects.count()
    output = run_seed()
    assert "no demo data added" in output
    assert Meeting.objects.count() == meetings
    assert Practice.objects.count() == 2


def demo_code(email: str) -> str:
    out = StringIO()
    call_command("demo_totp_code", email, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_demo_members_log_in_with_the_published_authenticator_key(settings):
    output = run_seed()
    assert DEMO_TOTP_SECRET in output
    assert "demo_totp_code" in output
    http = HttpClient()
    http.post(reverse("account_login"), {"login": "marja@tila.example", "password": DEMO_PASSWORD})
    code = demo_code("marja@tila.example")
    assert len(code) == 6
    assert http.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200


def test_the_code_command_refuses_anyone_outside_the_demo_practices(settings):
    run_seed()
    real = make_user("oikea@example.test", "Oikea Ohjaaja")
    add_member(make_practice("oikea", "Oikea praktiikka"), real)
    with pytest.raises(CommandError, match="not a member of a demo practice"):
        demo_code("oikea@example.test")


def test_the_code_command_refuses_a_demo_member_who_changed_her_key(settings):
    run_seed()
    Authenticator.objects.filter(user__email="sari@tila.example").delete()
    enrol_totp(User.objects.get(email="sari@tila.example"))
    with pytest.raises(CommandError, match="no longer uses the published demo key"):
        demo_code("sari@tila.example")


def test_the_code_command_refuses_on_a_production_site(settings):
    run_seed()
    settings.DEBUG = False
    settings.SECURE = True
    with pytest.raises(CommandError, match="production"):
        demo_code("marja@tila.example")


def test_the_demo_supervisee_and_orderer_contact_reach_their_own_pages():
    output = run_seed()
    assert DEMO_SUPERVISEE in output and DEMO_ORDERER in output
    supervisee = HttpClient()
    supervisee.force_login(User.objects.get(email=DEMO_SUPERVISEE))
    assert "Uskalsin sanoa" in supervisee.get(reverse("journal")).content.decode()
    orderer = HttpClient()
    orderer.force_login(User.objects.get(email=DEMO_ORDERER))
    assert "Tähtiryhmä" in orderer.get(reverse("orderer_home")).content.decode()


def test_the_demo_has_an_issued_invoice_the_orderer_sees():
    run_seed()
    invoice = Invoice.objects.get(practice__slug="marja-kallio")
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.number is not None and invoice.total > 0
    assert invoice.lines.filter(meeting__isnull=False).count() == 2
    assert invoice.organisation is not None
    assert invoice.organisation.contacts.exists()


def test_seed_prints_the_address_it_is_served_at():
    out = StringIO()
    call_command("seed_demo", "--address", "http://127.0.0.1:8123", stdout=out)
    assert "http://127.0.0.1:8123" in out.getvalue()
    assert "8000" not in out.getvalue()


def test_the_demo_shows_evaluations_a_poll_and_absences_without_mailing_anyone():
    run_seed()
    marja = Practice.objects.get(slug="marja-kallio")
    rounds = {r.measure: r for r in EvaluationRound.objects.filter(practice=marja)}
    assert rounds["baseline"].closed_at is not None and rounds["baseline"].responses.count() == 5
    assert rounds["interim"].is_open and rounds["interim"].responses.count() == 3
    poll = SchedulePoll.objects.get(practice=marja)
    assert poll.status == "open" and poll.invitees.filter(answered_at__isnull=False).count() == 3
    assert Attendance.objects.filter(absence_reported_at__isnull=False).count() == 1
    assert Absence.objects.filter(practice=marja).count() == 1
    # The demo's people are not sent invitations, links or reminders when the worker starts.
    assert not DBTaskResult.objects.exists()
    owner = User.objects.get(email="marja@tila.example")
    http = HttpClient()
    http.force_login(owner)
    page = http.get(reverse("schedule_poll", args=[poll.uuid])).content.decode()
    assert "Sovitaan vielä päätöskerta" in page

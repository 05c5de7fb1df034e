from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from tila.clients.models import Client
from tila.contracts.models import Contract
from tila.demo.seed import DEMO_LOGINS, DEMO_PASSWORD
from tila.meetings.models import Meeting, MeetingStatus
from tila.practices.models import Practice

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

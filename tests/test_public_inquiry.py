"""The public inquiry form: storing, sealing, mail, spam protection and bad input."""

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import at
from tests.intake_helpers import forget_rate_limits, inquiry_data, old_token, publish
from tests.mail_helpers import _free_port, body
from tila.audit.models import AuditEvent
from tila.intake.models import Inquiry
from tila.keys.sealing import unseal

NOW = at(2026, 11, 20, 10)


@pytest.fixture(autouse=True)
def _fresh(world):
    forget_rate_limits()
    publish(world.practice, world.owner)
    with time_machine.travel(NOW, tick=True):
        yield


def url(world) -> str:
    return reverse("public_inquiry", args=[world.practice.slug])


def test_inquiry_is_stored_with_its_need_sealed_and_confirmed_by_mail(
    world, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = HttpClient().post(url(world), inquiry_data(started=old_token()))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.practice == world.practice
    assert "työnjako" not in inquiry.need
    assert unseal(world.practice, inquiry.need, context=inquiry.need_context).startswith("Tiimimme")
    assert not inquiry.is_crisis
    assert AuditEvent.objects.filter(object_id=str(inquiry.uuid), action="create").exists()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "kaisa@example.test"
    assert "Työnohjaus Aalto" in body(message)
    # The confirmation repeats nothing the visitor wrote.
    assert "Tiimimme" not in body(message)


@pytest.mark.django_db(transaction=True)
def test_crisis_inquiry_alerts_every_supervisor_at_once(
    world, smtp_server, django_capture_on_commit_callbacks
):
    data = inquiry_data(is_crisis="on", event_date="2026-11-20", event_time="07:30")
    with django_capture_on_commit_callbacks(execute=True):
        response = HttpClient().post(url(world), data)
    # The alert goes out from the background worker.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert response.status_code == 302
    assert response["Location"].endswith("?crisis=1")
    inquiry = Inquiry.objects.get()
    assert inquiry.is_crisis
    assert inquiry.event_at == at(2026, 11, 20, 7, 30)
    messages = smtp_server.wait_for(2)
    alerts = [m for m in messages if "anna@example.test" in str(m["To"])]
    assert len(alerts) == 1
    alert = body(alerts[0])
    assert "pe 20.11.2026 klo 7.30" in alert
    assert reverse("inquiry", args=[inquiry.uuid]) in alert
    assert "Tiimimme" not in alert  # the need stays out of mail
    assert smtp_server.to("kollega@example.test")  # the practice's other supervisor
    assert not smtp_server.to("assi@example.test")  # an assistant is not alerted


@pytest.mark.django_db(transaction=True)
def test_crisis_alert_survives_a_failing_mail_server(world, smtp_server, settings):
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    data = inquiry_data(is_crisis="on", event_date="2026-11-20", event_time="07:30")
    response = HttpClient().post(url(world), data)
    assert response.status_code == 302  # the visitor's page is not broken
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Inquiry.objects.get().is_crisis
    settings.EMAIL_PORT = smtp_server.port
    with time_machine.travel(NOW.replace(minute=2), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [alert] = smtp_server.wait_for(1)  # the asker's confirmation was lost; the alert was not
    assert "anna@example.test" in str(alert["To"])
    assert "kollega@example.test" in str(alert["To"])


@pytest.mark.parametrize(
    ("date", "time", "message"),
    [
        ("2026-11-21", "08:00", "tulevaisuudessa"),
        ("2024-11-01", "08:00", "yli vuosi"),
        ("2026-02-30", "08:00", "päivämäärä"),
        ("2026-11-19", "25:61", "aika"),
        ("", "", "päivämäärä"),
    ],
)
def test_impossible_crisis_times_give_a_clear_error_and_store_nothing(world, date, time, message):
    data = inquiry_data(is_crisis="on", event_date=date, event_time=time)
    response = HttpClient().post(url(world), data)
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert not Inquiry.objects.exists()


def test_the_honeypot_pretends_success_and_stores_nothing(world, smtp_server):
    response = HttpClient().post(url(world), inquiry_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Inquiry.objects.exists()
    assert smtp_server.messages == []


@pytest.mark.parametrize("token", ["", "forged", "use-fresh"])
def test_a_form_sent_too_fast_or_with_a_forged_timestamp_is_refused(world, token):
    from tila.public.spam import started_token

    data = inquiry_data(started=started_token() if token == "use-fresh" else token)
    response = HttpClient().post(url(world), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_too_many_inquiries_from_one_address_are_refused(world, settings):
    settings.TILA_PUBLIC_FORM_LIMIT = 3
    http = HttpClient()
    statuses = [http.post(url(world), inquiry_data()).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Inquiry.objects.count() == 3
    assert "Liian monta" in http.post(url(world), inquiry_data()).content.decode()


def test_a_script_tag_in_every_text_field_is_stored_as_text_and_shown_escaped(world, owner_client):
    script = "<script>alert(1)</script>"
    fields = ["name", "organisation", "phone", "need", "preferred_times"]
    data = inquiry_data(**dict.fromkeys(fields, f"{script}x"))
    assert HttpClient().post(url(world), data).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.name == f"{script}x"
    for page in [reverse("inquiry", args=[inquiry.uuid]), reverse("inquiry_list")]:
        html = owner_client.get(page).content.decode()
        assert script not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;x" in html


def test_a_huge_body_is_refused_cleanly(world):
    huge = "x" * (50 * 1024 * 1024)
    response = HttpClient().post(url(world), {**inquiry_data(), "need": huge})
    assert response.status_code in (400, 413)
    assert not Inquiry.objects.exists()


def test_an_overlong_need_is_an_error(world):
    response = HttpClient().post(url(world), inquiry_data(need="x" * 5001))
    assert response.status_code == 200
    assert not Inquiry.objects.exists()


def test_an_organisation_must_be_named_when_an_organisation_asks(world):
    response = HttpClient().post(url(world), inquiry_data(organisation=""))
    assert "Anna organisaation nimi" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_an_unpublished_practice_has_no_public_form(world):
    assert HttpClient().get(reverse("public_inquiry", args=["bertta"])).status_code == 404
    assert HttpClient().get(reverse("public_inquiry", args=["nonexistent"])).status_code == 404

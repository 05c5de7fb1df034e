"""Failed logins are throttled per address and per account without locking the real user out.

Real requests against allauth's login pages; the addresses come from REMOTE_ADDR."""

import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import PASSWORD, World, totp_code, totp_secret

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
HOME = "192.0.2.10"
THROTTLED = "Liian monta epäonnistunutta kirjautumisyritystä"
LOGIN_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def attempt(address: str, email: str, password: str) -> tuple[int, str, HttpClient]:
    http = HttpClient(REMOTE_ADDR=address)
    response = http.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code, response.content.decode(), http


def test_an_attacker_hammering_an_account_is_stopped_with_a_clear_message(world: World):
    for _ in range(5):
        status, html, _http = attempt(ATTACKER, world.owner.email, "guess")
        assert status == 200
        assert THROTTLED not in html
    status, html, _http = attempt(ATTACKER, world.owner.email, "guess")
    assert THROTTLED in html
    assert "sähköpostiisi lähetettävällä koodilla" in html
    # Even the right password is refused from there until the window passes.
    status, html, http = attempt(ATTACKER, world.owner.email, PASSWORD)
    assert THROTTLED in html
    assert "_auth_user_id" not in http.session


def test_the_real_user_on_another_address_still_logs_in_with_her_password(world: World):
    for _ in range(6):
        attempt(ATTACKER, world.owner.email, "guess")
    status, _html, http = attempt(HOME, world.owner.email, PASSWORD)
    assert status == 302
    code = totp_code(totp_secret(world.owner))
    assert http.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200


def test_one_address_trying_many_accounts_is_stopped(world: World):
    for index in range(10):
        _status, html, _http = attempt(ATTACKER, f"nobody{index}@example.test", "guess")
        assert THROTTLED not in html
    _status, html, _http = attempt(ATTACKER, "nobody99@example.test", "guess")
    assert THROTTLED in html
    # Other addresses are unaffected.
    assert attempt(HOME, world.colleague.email, PASSWORD)[0] == 302


def test_many_addresses_against_one_account_stop_password_logins_but_not_the_emailed_code(
    world: World,
):
    for address in range(30):
        _status, html, _http = attempt(f"198.51.100.{address + 1}", world.owner.email, "guess")
        assert THROTTLED not in html
    _status, html, _http = attempt(HOME, world.owner.email, PASSWORD)
    assert THROTTLED in html
    # The real user logs in with a code sent to her email, then her app's code.
    http = HttpClient(REMOTE_ADDR=HOME)
    mail.outbox.clear()
    http.post(reverse("account_request_login_code"), {"email": world.owner.email})
    [message] = mail.outbox
    found = LOGIN_CODE.search(str(message.body))
    assert found is not None
    response = http.post(reverse("account_confirm_login_code"), {"code": found.group(1)})
    assert response["Location"] == reverse("mfa_authenticate")
    http.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret(world.owner))})
    assert http.get(reverse("dashboard")).status_code == 200


def test_a_successful_login_does_not_count_as_a_failure(world: World):
    for _ in range(4):
        attempt(HOME, world.owner.email, "typo")
    for _ in range(3):
        assert attempt(HOME, world.owner.email, PASSWORD)[0] == 302
    assert attempt(HOME, world.owner.email, "typo")[0] == 200
    _status, html, _http = attempt(HOME, world.owner.email, PASSWORD)
    assert THROTTLED in html  # the fifth failure used the window up


def request_code(address: str, email: str):
    http = HttpClient(REMOTE_ADDR=address)
    return http.post(reverse("account_request_login_code"), {"email": email})


def test_code_requests_for_one_account_are_limited(world: World):
    mail.outbox.clear()
    for _ in range(3):
        assert request_code(ATTACKER, world.owner.email).status_code == 302
    refused = request_code(ATTACKER, world.owner.email)
    assert refused.status_code == 200
    assert "Liian monta epäonnistunutta kirjautumisyritystä" in refused.content.decode()
    assert len(mail.outbox) == 3

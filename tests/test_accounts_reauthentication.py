"""Reading the whole practice's audit log asks the owner to confirm access first."""

import time

import pytest
import time_machine
from django.urls import reverse

from tests.account_helpers import reauthenticate
from tests.factories import World, totp_code, totp_secret

pytestmark = pytest.mark.django_db
URL = reverse("audit_log")


def test_the_audit_log_asks_the_owner_to_confirm_access(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = owner_client.get(response["Location"]).content.decode()
    assert reverse("mfa_reauthenticate") in page  # the app's code is an alternative


def test_a_wrong_password_does_not_open_the_log(owner_client):
    owner_client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    assert owner_client.get(URL).status_code == 302


def test_the_password_opens_the_log_and_returns_there(owner_client):
    response = owner_client.post(
        reverse("account_reauthenticate") + f"?next={URL}", {"password": "x"}
    )
    assert response.status_code == 200  # wrong password: the form again
    response = owner_client.post(
        reverse("account_reauthenticate") + f"?next={URL}",
        {"password": "correct-horse-battery-staple-42", "next": URL},
    )
    assert response["Location"] == URL
    assert owner_client.get(URL).status_code == 200


def test_the_authenticator_code_opens_the_log(owner_client, world: World):
    response = owner_client.post(
        reverse("mfa_reauthenticate"), {"code": totp_code(totp_secret(world.owner))}
    )
    assert response.status_code == 302
    assert owner_client.get(URL).status_code == 200


def test_confirmed_access_lasts_five_minutes(owner_client):
    reauthenticate(owner_client)
    assert owner_client.get(URL).status_code == 200
    with time_machine.travel(time.time() + 4 * 60):
        assert owner_client.get(URL).status_code == 200
    with time_machine.travel(time.time() + 6 * 60):
        assert owner_client.get(URL).status_code == 302


def test_others_are_refused_before_being_asked_to_confirm(assistant_client, colleague_client):
    assert assistant_client.get(URL).status_code == 403
    assert colleague_client.get(URL).status_code == 403

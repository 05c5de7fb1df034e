"""Every member of a practice logs in in two steps; supervisees and orderer contacts need not."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from tests.account_helpers import reauthenticate
from tests.factories import PASSWORD, World, make_user, totp_code, totp_secret
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.practices.models import Membership, Role

pytestmark = pytest.mark.django_db

LOGIN_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
def newcomer(world: World):
    """A supervisor just added to practice A, who has not turned on an authenticator yet."""
    user = make_user("uusi@example.test", "Uusi Ohjaaja")
    Membership.objects.create(practice=world.practice, user=user, role=Role.SUPERVISOR)
    return user


def password_login(http: HttpClient, email: str, password: str = PASSWORD):
    return http.post(reverse("account_login"), {"login": email, "password": password})


def test_a_member_without_an_authenticator_is_sent_to_turn_one_on(newcomer):
    http = HttpClient()
    http.force_login(newcomer)
    for name in ("dashboard", "meeting_list", "practice_settings", "usersessions_list"):
        response = http.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_index")
    page = http.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="fi")
    html = page.content.decode()
    assert page.status_code == 200
    assert "jokainen praktiikan jäsen" in html.lower()  # why, in Finnish
    assert reverse("mfa_activate_totp") in html


def test_an_htmx_request_is_redirected_by_htmx(newcomer):
    http = HttpClient()
    http.force_login(newcomer)
    response = http.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_a_member_without_an_authenticator_may_still_log_out(newcomer):
    http = HttpClient()
    http.force_login(newcomer)
    assert http.post(reverse("account_logout")).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 302
    assert "_auth_user_id" not in http.session


def test_supervisees_and_orderer_contacts_are_not_asked_for_a_second_step(world: World):
    member = world.client.members.first()
    assert member is not None
    supervisee = invite_supervisee(member=member, actor=world.owner).user
    orderer = invite_contact(contact=world.contact, actor=world.owner).user
    for user, page in ((supervisee, "portal_home"), (orderer, "orderer_home")):
        http = HttpClient()
        http.force_login(user)
        assert http.get(reverse(page)).status_code == 200
        assert not Authenticator.objects.filter(user=user).exists()


def test_a_newcomer_turns_on_an_authenticator_app_and_can_work(newcomer):
    http = HttpClient()
    assert password_login(http, newcomer.email)["Location"] == reverse("home")
    assert http.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    # Turning the app on asks for the password again first.
    assert http.get(reverse("mfa_activate_totp")).status_code == 302
    reauthenticate(http)
    page = http.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*>([A-Z2-7]+)</code>', page)
    assert secret is not None
    wrong = http.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=newcomer, type="totp").exists()
    done = http.post(reverse("mfa_activate_totp"), {"code": totp_code(secret.group(1))})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    assert http.get(reverse("dashboard")).status_code == 200


def test_password_login_asks_for_the_code_and_refuses_a_wrong_one(world: World):
    http = HttpClient()
    response = password_login(http, world.colleague.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert http.get(reverse("dashboard")).status_code == 302  # not logged in yet
    assert "_auth_user_id" not in http.session
    wrong = http.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert (
        "Virheellinen koodi" in wrong.content.decode() or "Incorrect code" in wrong.content.decode()
    )
    assert "_auth_user_id" not in http.session
    right = http.post(
        reverse("mfa_authenticate"), {"code": totp_code(totp_secret(world.colleague))}
    )
    assert right.status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200


def test_login_by_emailed_code_does_not_skip_the_second_step_for_a_member(world: World):
    http = HttpClient()
    mail.outbox.clear()
    http.post(reverse("account_request_login_code"), {"email": world.owner.email})
    [message] = mail.outbox
    code = LOGIN_CODE.search(str(message.body))
    assert code is not None
    response = http.post(reverse("account_confirm_login_code"), {"code": code.group(1)})
    assert response["Location"] == reverse("mfa_authenticate")
    assert http.get(reverse("dashboard")).status_code == 302
    assert "_auth_user_id" not in http.session
    http.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret(world.owner))})
    assert http.get(reverse("dashboard")).status_code == 200


def test_a_code_works_only_once(world: World):
    code = totp_code(totp_secret(world.owner))
    first = HttpClient()
    password_login(first, world.owner.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    second = HttpClient()
    password_login(second, world.owner.email)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_a_recovery_code_logs_in_once(world: World):
    codes = RecoveryCodes.activate(world.owner).get_unused_codes()
    http = HttpClient()
    password_login(http, world.owner.email)
    assert http.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200
    again = HttpClient()
    password_login(again, world.owner.email)
    assert again.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_the_recovery_codes_page_lists_the_codes(world: World, owner_client):
    codes = RecoveryCodes.activate(world.owner).get_unused_codes()
    reauthenticate(owner_client)  # showing the codes asks to confirm access first
    html = owner_client.get(reverse("mfa_view_recovery_codes")).content.decode()
    for code in codes:
        assert f"<code>{code}</code>" in html

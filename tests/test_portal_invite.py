"""Inviting supervisees to the portal, and logging in there by an emailed code."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World
from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.portal.models import SuperviseeAccount


def first_member(world: World) -> ClientMember:
    return world.client.members.select_related("person").order_by("person__name").first()  # type: ignore[return-value]


def invite_url(member: ClientMember) -> str:
    return reverse("invite_supervisee", args=[member.uuid])


def login_code(body: str) -> str:
    codes = re.findall(r"^\s*([A-Z0-9-]{6,})\s*$", body, re.MULTILINE)
    assert codes, body
    return str(codes[-1])


@pytest.mark.django_db
def test_inviting_a_member_creates_a_login_without_password_and_sends_an_email(
    world: World, owner_client: HttpClient, settings: object
) -> None:
    member = first_member(world)
    response = owner_client.post(invite_url(member))
    assert response.status_code == 302
    assert response["Location"] == reverse("client", args=[world.client.uuid])
    account = SuperviseeAccount.objects.select_related("user").get(person=member.person)
    assert account.user.email == member.person.email
    assert account.user.name == member.person.name
    assert not account.user.has_usable_password()
    assert account.invited_by == world.owner
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.person.email]
    assert "/accounts/login/code/?next=%2Fportal%2F" in message.body
    assert reverse("account_request_login_code") == "/accounts/login/code/"


@pytest.mark.django_db
def test_an_assistant_may_invite_and_a_second_invitation_reuses_the_login(
    world: World, assistant_client: HttpClient
) -> None:
    member = first_member(world)
    assistant_client.post(invite_url(member))
    assistant_client.post(invite_url(member))
    assert SuperviseeAccount.objects.filter(person=member.person).count() == 1
    assert User.objects.filter(email=member.person.email).count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_client_page_shows_the_invite_button_and_then_invited(
    world: World, owner_client: HttpClient
) -> None:
    member = first_member(world)
    page = owner_client.get(reverse("client", args=[world.client.uuid])).content.decode()
    assert invite_url(member) in page
    owner_client.post(invite_url(member))
    page = owner_client.get(reverse("client", args=[world.client.uuid])).content.decode()
    assert invite_url(member) not in page
    assert page.count("/invite/") == 4  # the four others can still be invited
    assert page.count('class="badge">') == 1


@pytest.mark.django_db
def test_a_person_without_email_cannot_be_invited(world: World, owner_client: HttpClient) -> None:
    member = first_member(world)
    member.person.email = ""
    member.person.save()
    owner_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.post(invite_url(member))
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [
        f"{member.person.name} has no email address. Add one to the person's details first."
    ]
    assert not SuperviseeAccount.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_another_practices_member_cannot_be_invited(world: World, owner_client: HttpClient) -> None:
    member = world.other_client.members.first()
    assert member is not None
    assert owner_client.post(invite_url(member)).status_code == 404
    assert not SuperviseeAccount.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invited_supervisee_logs_in_by_code_and_lands_in_the_portal(
    world: World, owner_client: HttpClient
) -> None:
    member = first_member(world)
    owner_client.post(invite_url(member))
    invitation = str(mail.outbox[0].body)
    login_path = re.search(r"https?://[^/\s]+(/accounts/login/code/\S*)", invitation)
    assert login_path is not None

    browser = HttpClient()
    response = browser.post(login_path.group(1), {"email": member.person.email})
    assert response.status_code == 302
    confirm_url = response["Location"]
    assert confirm_url.startswith(reverse("account_confirm_login_code"))
    code_mail = str(mail.outbox[-1].body)
    assert "Tässä on kirjautumiskoodisi Tilaan" in code_mail  # plain Finnish, not a form letter
    code = login_code(code_mail)

    response = browser.post(confirm_url, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_home")
    page = browser.get(reverse("portal_home"))
    assert page.status_code == 200
    assert world.contract.title in page.content.decode()

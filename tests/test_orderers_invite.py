"""Inviting an orderer's contact person to the orderer's view, and logging in by code."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, make_user
from tila.accounts.models import User
from tila.audit.models import AuditEvent
from tila.clients.models import Contact
from tila.orderers.models import OrdererAccount

pytestmark = pytest.mark.django_db


def invite_url(contact: Contact) -> str:
    return reverse("invite_contact", args=[contact.uuid])


def in_english(http: HttpClient) -> HttpClient:
    """Pages and messages in English, whatever the Finnish translations say."""
    http.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return http


def login_code(body: str) -> str:
    codes = re.findall(r"^\s*([A-Z0-9-]{6,})\s*$", body, re.MULTILINE)
    assert codes, body
    return str(codes[-1])


def test_inviting_a_contact_creates_a_login_without_password_and_sends_an_email(
    world: World, owner_client: HttpClient, settings
):
    settings.SITE_URL = "https://tila.example"
    response = owner_client.post(invite_url(world.contact))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation", args=[world.organisation.uuid])
    account = OrdererAccount.objects.select_related("user").get(contact=world.contact)
    assert account.user.email == "kaisa@example.test"
    assert account.user.name == "Kaisa Esimies"
    assert not account.user.has_usable_password()
    assert account.invited_by == world.owner
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kaisa@example.test"]
    assert "Työnohjaus Aalto" in message.subject
    assert "https://tila.example/accounts/login/code/?next=%2Forderer%2F" in message.body
    assert "Kaisa Esimies" in message.body
    event = AuditEvent.objects.get(object_type="orderers.OrdererAccount")
    assert event.object_id == str(world.contact.uuid)
    assert event.actor == world.owner


def test_inviting_again_reuses_the_login_and_sends_the_invitation_again(
    world: World, assistant_client: HttpClient
):
    assistant_client.post(invite_url(world.contact))
    assistant_client.post(invite_url(world.contact))
    assert OrdererAccount.objects.filter(contact=world.contact).count() == 1
    assert User.objects.filter(email="kaisa@example.test").count() == 1
    assert len(mail.outbox) == 2


def test_an_existing_user_with_the_same_email_is_reused(world: World, owner_client: HttpClient):
    existing = make_user("KAISA@example.test".lower(), "Kaisa E.")
    owner_client.post(invite_url(world.contact))
    assert OrdererAccount.objects.get(contact=world.contact).user == existing
    assert User.objects.filter(email__iexact="kaisa@example.test").count() == 1


def test_a_contact_without_email_cannot_be_invited(world: World, owner_client: HttpClient):
    world.contact.email = ""
    world.contact.save()
    response = in_english(owner_client).post(invite_url(world.contact))
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Kaisa Esimies has no email address. Add one before sending the invitation."]
    assert not OrdererAccount.objects.exists()
    assert mail.outbox == []


def test_one_email_address_opens_the_view_of_one_contact_only(
    world: World, owner_client: HttpClient
):
    owner_client.post(invite_url(world.contact))
    twin = Contact.objects.create(
        organisation=world.organisation, name="Kaisa Toinen", email="kaisa@example.test"
    )
    response = in_english(owner_client).post(invite_url(twin))
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert "already opens the orderer's view of another contact person" in shown[-1]
    assert not OrdererAccount.objects.filter(contact=twin).exists()
    assert len(mail.outbox) == 1


def test_the_organisation_page_shows_the_invite_button_and_then_invited(
    world: World, owner_client: HttpClient
):
    url = reverse("organisation", args=[world.organisation.uuid])
    in_english(owner_client)
    page = owner_client.get(url).content.decode()
    assert invite_url(world.contact) in page
    assert "Invite to the orderer's view" in page
    assert "Invited to the orderer" not in page
    owner_client.post(invite_url(world.contact))
    page = owner_client.get(url).content.decode()
    assert "Invited to the orderer's view" in page
    assert "Send the invitation again" in page


def test_another_practice_cannot_invite_a_contact(world: World, other_client: HttpClient):
    assert other_client.post(invite_url(world.contact)).status_code == 404
    assert not OrdererAccount.objects.exists()
    assert mail.outbox == []


def test_an_invited_orderer_logs_in_by_code_and_sees_the_orderers_view(
    world: World, owner_client: HttpClient
):
    owner_client.post(invite_url(world.contact))
    login_url = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert login_url is not None
    path = login_url.group(0).split("://", 1)[1]
    path = path[path.index("/") :]
    browser = HttpClient()
    response = browser.post(path, {"email": "kaisa@example.test"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    code = login_code(str(mail.outbox[-1].body))
    response = browser.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("orderer_home")
    page = browser.get(reverse("orderer_home"))
    assert page.status_code == 200
    assert world.contract.title in page.content.decode()

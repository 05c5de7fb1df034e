import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import make_user
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee

pytestmark = pytest.mark.django_db


def logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_anonymous_visitor_is_sent_to_the_login(client):
    assert client.get(reverse("home"))["Location"] == reverse("account_login")


def test_a_member_of_a_practice_starts_on_the_overview(world, owner_client):
    assert owner_client.get(reverse("home"))["Location"] == reverse("dashboard")


def test_a_supervisee_starts_in_the_portal(world):
    member = world.client.members.first()
    account = invite_supervisee(member=member, actor=world.owner)
    response = logged_in(account.user).get(reverse("home"))
    assert response["Location"] == reverse("portal_home")


def test_an_orderer_contact_starts_in_the_orderers_view(world):
    account = invite_contact(contact=world.contact, actor=world.owner)
    response = logged_in(account.user).get(reverse("home"))
    assert response["Location"] == reverse("orderer_home")


def test_a_user_with_no_place_in_tila_is_refused(world):
    stranger = make_user("stranger@example.test", "Vieras")
    assert logged_in(stranger).get(reverse("home")).status_code == 403

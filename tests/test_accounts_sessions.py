"""A user sees where she is logged in and can end the other sessions."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import PASSWORD, World, totp_code, totp_secret

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def log_in(user, user_agent: str, address: str, steps_ahead: int) -> HttpClient:
    """A real login through allauth's pages: password, then the app's code."""
    http = HttpClient(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    http.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    code = totp_code(totp_secret(user), steps_ahead=steps_ahead)
    assert http.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200
    return http


def test_the_list_shows_each_browser_address_and_time(world: World):
    laptop = log_in(world.owner, FIREFOX, "192.0.2.10", steps_ahead=0)
    log_in(world.owner, PHONE, "198.51.100.7", steps_ahead=1)
    html = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Firefox, Windows" in html
    assert "Chrome, Android" in html
    assert "192.0.2.10" in html
    assert "198.51.100.7" in html
    assert html.count("Tämä selain") == 1


def test_ending_the_other_sessions_logs_them_out(world: World):
    laptop = log_in(world.owner, FIREFOX, "192.0.2.10", steps_ahead=0)
    phone = log_in(world.owner, PHONE, "198.51.100.7", steps_ahead=1)
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    after = phone.get(reverse("dashboard"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("account_login"))
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert "198.51.100.7" not in laptop.get(reverse("usersessions_list")).content.decode()


def test_someone_elses_sessions_are_not_listed_or_ended(world: World):
    anna = log_in(world.owner, FIREFOX, "192.0.2.10", steps_ahead=0)
    bertta = log_in(world.other_owner, PHONE, "198.51.100.7", steps_ahead=0)
    assert "198.51.100.7" not in anna.get(reverse("usersessions_list")).content.decode()
    anna.post(reverse("usersessions_list"))
    assert bertta.get(reverse("dashboard")).status_code == 200

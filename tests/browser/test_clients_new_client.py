"""The new client form in a real browser: the "add a row" button adds member rows."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tests.browser.conftest import object_page, screenshot
from tila.accounts.models import User
from tila.clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(page: Any, user: User, base_url: str) -> None:
    """Share a Django session with the browser; the login form has tests of its own."""
    http = HttpClient()
    http.force_login(user)
    session = http.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def test_supervisor_creates_a_team_with_a_sixth_member_row(page, world, live_server):
    logged_in(page, world.owner, live_server.url)
    page.goto("/clients/new/")
    page.locator("#id_kind").select_option("team")
    page.locator("#id_name").fill("Kotihoito Itä")
    for index in range(5):
        page.locator(f"#id_members-{index}-name").fill(f"Hoitaja {index + 1}")
    page.locator("[data-add-row=members]").click()
    page.locator("#id_members-5-name").fill("Hoitaja 6")
    screenshot(page, "clients-new-client")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(object_page("clients"))
    team = Client.objects.get(name="Kotihoito Itä")
    assert team.current_members().count() == 6
    screenshot(page, "clients-client")


def test_the_client_page_fits_a_phone(phone_page, world, live_server):
    logged_in(phone_page, world.owner, live_server.url)
    phone_page.goto(f"/clients/{world.client.uuid}/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(phone_page, "clients-client-phone")

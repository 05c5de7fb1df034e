import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_logs_in_and_lands_on_the_overview(page, world):
    log_in(page, world.owner.email, PASSWORD)
    expect(page.locator("h1").first).to_be_visible()
    assert "Työnohjaus Aalto" in page.content()
    screenshot(page, "login-dashboard")


def test_wrong_password_gives_a_clear_message_in_finnish(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("Sähköposti").fill(world.owner.email)
    page.get_by_label("Salasana").fill("wrong password")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert page.url.endswith("/accounts/login/")

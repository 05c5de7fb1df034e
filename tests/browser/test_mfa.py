"""A supervisor without a second step is sent to turn on an authenticator app, turns it on,
and from then on logs in with its code."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, World, make_user, totp_code
from tila.practices.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_a_new_supervisor_turns_on_an_authenticator_app_and_logs_in_with_it(
    page, phone_page, world: World
):
    user = make_user("uusi@example.test", "Uusi Ohjaaja")
    Membership.objects.create(practice=world.practice, user=user, role=Role.SUPERVISOR)

    password_step(page, user.email)
    page.wait_for_url("**/2fa/")
    assert "jokainen praktiikan jäsen kirjautuu kahdessa vaiheessa" in page.content()
    page.goto("/dashboard/")  # every other page sends her back, with the reason
    page.wait_for_url("**/2fa/")
    expect(page.locator(".message.warning").first).to_be_visible()
    screenshot(page, "mfa-required")

    page.get_by_role("link", name="Ota tunnistinsovellus käyttöön").click()
    page.wait_for_url("**/reauthenticate/**")  # confirm the password first
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Vahvista").click()
    page.wait_for_url("**/2fa/totp/activate/")
    # The same page at 375 px, in the same session (each visit makes a new key).
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto("/accounts/2fa/totp/activate/")
    screenshot(phone_page, "mfa-enrol-375")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.context.clear_cookies()
    page.reload()
    expect(page.locator("img.qr")).to_be_visible()
    secret = page.locator("#authenticator_secret").inner_text().strip()
    screenshot(page, "mfa-enrol-desktop")

    page.get_by_label("Koodi").fill("000000")
    page.get_by_role("button", name="Ota käyttöön").click()
    expect(page.locator(".error, .form-errors").first).to_be_visible()
    page.get_by_label("Koodi").fill(totp_code(secret))
    page.get_by_role("button", name="Ota käyttöön").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    assert page.locator("ul.recovery-codes li").count() == 10
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("link", name="Jatka Tilaan").click()
    page.wait_for_url("**/dashboard/")

    page.get_by_role("button", name="Kirjaudu ulos").first.click()
    page.wait_for_url("**/accounts/login/")
    password_step(page, user.email)
    page.wait_for_url("**/2fa/authenticate/")
    screenshot(page, "mfa-login-code")
    page.fill("input[name=code]", "123456" if totp_code(secret, 1) != "123456" else "654321")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.locator(".error, .form-errors").first).to_be_visible()
    assert page.url.endswith("/2fa/authenticate/")
    # The code shown at enrolment was used; the app's next one works (one step of drift).
    page.fill("input[name=code]", totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url("**/dashboard/")
    assert "Työnohjaus Aalto" in page.content()


def test_the_sessions_page_lists_this_browser(page, world: World):
    from tests.browser.conftest import log_in

    log_in(page, world.owner.email, PASSWORD)
    page.get_by_role("link", name="Kirjautumiset").first.click()
    page.wait_for_url("**/accounts/sessions/")
    expect(page.get_by_text("Tämä selain")).to_be_visible()
    screenshot(page, "sessions")

"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread for the whole session; the
    # tests' own database access (and its clean-up) stays synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def refuse_csp_violations(page) -> list[str]:
    """Collect the browser's reports of anything the content security policy blocked; the
    page fixtures fail the test if there are any."""
    violations: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = refuse_csp_violations(page)
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fi-FI",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = refuse_csp_violations(page)
    yield page
    context.close()
    assert not violations, violations


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def object_page(prefix: str) -> re.Pattern[str]:
    """The address of one object's page, e.g. /clients/<uuid>/ (not /clients/new/)."""
    return re.compile(rf".*/{prefix}/[0-9a-f-]{{36}}/$")


# The last authenticator code each user gave: a code works only once, so a second login
# within the same 30 seconds gives the next one (allauth accepts one period ahead).
_LAST_CODES: dict[str, str] = {}


def authenticator_code(email: str) -> str:
    from tests.factories import totp_code, totp_secret
    from tila.accounts.models import User

    secret = totp_secret(User.objects.get(email=email))
    code = totp_code(secret)
    if _LAST_CODES.get(email) == code:
        code = totp_code(secret, steps_ahead=1)
    _LAST_CODES[email] = code
    return code


def give_authenticator_code(page, email: str) -> None:
    """The second step of a member's login: the code from her authenticator app."""
    page.wait_for_url("**/2fa/authenticate/")
    page.fill("input[name=code]", authenticator_code(email))
    page.get_by_role("button", name="Kirjaudu sisään").click()


def log_in(page, email: str, password: str) -> None:
    """A member's login: password, then the authenticator app's code."""
    page.goto("/accounts/login/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    give_authenticator_code(page, email)
    page.wait_for_url("**/dashboard/")


LOGIN_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def log_in_by_code(page, email: str) -> None:
    """Log in as a supervisee or an orderer contact does: with a code sent by email."""
    from django.core import mail

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Kirjaudu sähköpostiisi lähetettävällä koodilla").click()
    page.fill("input[name=email]", email)
    mail.outbox.clear()
    page.get_by_role("button", name=re.compile("Pyydä|Request|Lähetä", re.IGNORECASE)).first.click()
    page.wait_for_url("**/login/code/confirm/")
    [message] = [m for m in mail.outbox if email in m.to]
    found = LOGIN_CODE.search(str(message.body))
    assert found is not None, message.body
    page.fill("input[name=code]", found.group(1))
    page.get_by_role("button", name="Vahvista").click()

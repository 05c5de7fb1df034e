"""The supervisor's pages work from the keyboard alone."""

import pytest

from tests.browser.conftest import log_in, object_page
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_link_comes_first_and_moves_to_the_content(page, world):
    log_in(page, world.owner.email, PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Siirry sisältöön"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_a_form_can_be_filled_and_sent_with_the_keyboard(page, world):
    log_in(page, world.owner.email, PASSWORD)
    page.goto("/orderers/new/")
    page.focus("#id_name")
    page.keyboard.type("Näppäimistön kunta")
    page.keyboard.press("Enter")  # Enter in a text field sends the form
    page.wait_for_url(object_page("orderers"))
    assert page.locator("h1").inner_text() == "Näppäimistön kunta"


def test_focus_is_always_visible(page, world):
    log_in(page, world.owner.email, PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")

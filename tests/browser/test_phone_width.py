"""Every page of the supervisor's side fits a 375 px phone without sideways scrolling."""

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tests.test_authorization_matrix import MATRIX, sides

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_fits_a_phone(phone_page, world):
    own, _foreign = sides(world)
    log_in(phone_page, world.owner.email, PASSWORD)
    pages = [
        (name, reverse(name, kwargs=row.kwargs(own) if row.kwargs else None))
        for name, row in sorted(MATRIX.items())
        if row.method == "GET"
        and row.expect["owner"] == 200
        and not name.startswith(("account_", "mfa_"))
    ]
    assert len(pages) >= 20
    too_wide = []
    for name, url in pages:
        kind = phone_page.request.get(url).headers.get("content-type", "")
        if not kind.startswith("text/html"):
            continue  # a download (PDF, XML, calendar), not a page
        response = phone_page.goto(url)
        assert response is not None and response.status == 200, url
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide.append((name, width))
            screenshot(phone_page, f"too-wide-{name}")
    assert not too_wide

"""In a real browser, the supervisor of practice B gets 404 on every object URL of practice A."""

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tests.test_authorization_matrix import FEED_BY_TOKEN, LIVE_BY_CODE, MATRIX, sides

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_other_practice_gets_not_found_on_every_object_url(page, world):
    own, _foreign = sides(world)
    urls = [
        # A POST-only endpoint refuses the browser's GET before looking anything up; a
        # published public page is open to everyone (row.foreign).
        (reverse(name, kwargs=row.kwargs(own)), 405 if row.expect["owner"] == 405 else row.foreign)
        for name, row in sorted(MATRIX.items())
        if row.kwargs is not None
        and not name.startswith(("account_", "mfa_"))
        and name not in LIVE_BY_CODE
        and name not in FEED_BY_TOKEN  # the token is the key: whoever holds it gets the feed
    ]
    assert len(urls) >= 10
    log_in(page, world.other_owner.email, PASSWORD)
    for url, expected in urls:
        if expected == 405:
            # Chromium shows its own error page for an empty 405; ask without rendering.
            assert page.request.get(url).status == 405, url
            continue
        response = page.goto(url)
        assert response is not None
        assert response.status == expected, url
        content = page.content()
        assert world.client.name not in content
        assert world.contract.title not in content
    page.goto(reverse("contract", kwargs={"contract_uuid": world.contract.uuid}))
    screenshot(page, "isolation-404")

"""A supervisee's own hours of supervision in the portal: the held meetings she attended across
her contracts, as in the supervisor's ledger, and nobody else's."""

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of
from tests.test_billing_certificates import hold, supervisee_with_history

pytestmark = pytest.mark.django_db


def hours_page(http: HttpClient) -> str:
    response = http.get(reverse("portal_hours"))
    assert response.status_code == 200
    return response.content.decode()


def test_she_sees_her_own_hours_across_contracts(world: World):
    supervisee_with_history(world)
    http = log_in_as(member_of(world.contract, 0), world.owner)
    assert reverse("portal_hours") in http.get(reverse("portal_home")).content.decode()
    page = hours_page(http)
    assert "8.9.2026" in page and "29.9.2026" in page and "3.11.2026" in page
    assert "20.10.2026" not in page  # she was absent
    assert "3,75 h (225 min)" in page and "5,00" in page
    assert "Tiimityönohjaus" in page and "Yksilötyönohjaus" in page


def test_another_member_sees_only_hers(world: World):
    supervisee_with_history(world)
    http = log_in_as(member_of(world.contract, 1), world.owner)
    page = hours_page(http)
    assert "8.9.2026" in page and "20.10.2026" in page
    assert "3.11.2026" not in page  # the first member's individual supervision


def test_the_number_of_queries_does_not_grow_with_her_meetings(world: World):
    member = member_of(world.contract, 0)
    http = log_in_as(member, world.owner)
    hold(make_meeting(world.contract, world.owner, at(2026, 9, 1, 13)), {member: True})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            hours_page(http)
        return len(queries)

    few = count()
    supervisee_with_history(world)
    assert count() == few

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _idle_timeout_on(settings):
    settings.TILA_IDLE_MINUTES = 30


def test_a_session_ends_after_thirty_minutes_without_activity(world, owner_client):
    start = at(2026, 11, 24, 9)
    with time_machine.travel(start, tick=False):
        assert owner_client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert owner_client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = owner_client.get(reverse("contract_list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=/contracts/" in response["Location"]
        # The session is gone: the next request is anonymous too.
        assert owner_client.get(reverse("dashboard")).status_code == 302


def test_activity_keeps_the_session_alive(world, owner_client):
    start = at(2026, 11, 24, 9)
    for minutes in range(0, 120, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert owner_client.get(reverse("dashboard")).status_code == 200


def test_pages_of_a_logged_in_user_are_not_stored(world, owner_client):
    for name in ("dashboard", "contract_list", "practice_settings"):
        response = owner_client.get(reverse(name))
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_the_idle_timeout_is_thirty_minutes_by_default(monkeypatch):
    import importlib

    import tila.settings

    monkeypatch.delenv("TILA_IDLE_MINUTES", raising=False)
    assert importlib.reload(tila.settings).TILA_IDLE_MINUTES == 30

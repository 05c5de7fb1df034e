"""Twenty people take the same slot at the same moment: exactly one wins, every time.

The requests go to a live server (pytest-django's LiveServer, one thread per request) from
twenty threads released together. On SQLite the server must use its own connections to a
file database (an in-memory test database is one connection shared by every server thread,
which would serialise nothing), so the test copies the migrated database to a file first.
On PostgreSQL every server thread has its own connection anyway."""

import http.cookiejar
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tests.factories import build_world
from tests.intake_helpers import old_token, publish
from tila.intake.models import Booking
from tila.intake.slots import free_slots

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUNDS = 20
PEOPLE = 20


@pytest.fixture
def own_database_server(transactional_db, tmp_path, settings) -> Iterator[str]:
    """A live server whose request threads each open their own database connection."""
    settings.TILA_PUBLIC_FORM_LIMIT = ROUNDS * PEOPLE * 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved_settings = connections.settings["default"]
    saved_connection = connections["default"]
    if saved_connection.vendor == "sqlite":
        path = tmp_path / "booking.sqlite3"
        saved_connection.ensure_connection()
        copy = sqlite3.connect(path)
        saved_connection.connection.backup(copy)
        copy.close()
        connections.settings["default"] = {**saved_settings, "NAME": str(path)}
        connections["default"] = connections.create_connection("default")
    server = LiveServer("localhost")
    try:
        yield server.url
    finally:
        server.stop()
        if saved_connection.vendor == "sqlite":
            connections["default"].close()
            connections.settings["default"] = saved_settings
            connections["default"] = saved_connection


class Visitor:
    """A browser of sorts: keeps its cookies, opens the form, then sends it."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def open_form(self, url: str) -> str:
        with self.opener.open(url, timeout=60) as response:
            page = response.read().decode()
        found = CSRF_FIELD.search(page)
        assert found is not None
        return found.group(1)

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 (a local test server)
            url, data=urllib.parse.urlencode(data).encode(), method="POST"
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_twenty_people_booking_one_slot_at_once_get_one_booking(own_database_server):
    world = build_world()
    availability = publish(world.practice, world.owner)
    slots = free_slots(availability, timezone.now())[:ROUNDS]
    assert len(slots) == ROUNDS
    url = f"{own_database_server}/p/{world.practice.slug}/book/"
    # Each person opens the form once and tries again for each slot, as from an open page.
    visitors = [Visitor() for _ in range(PEOPLE)]
    tokens = [visitor.open_form(url) for visitor in visitors]
    for round_number, (start, _end) in enumerate(slots):
        barrier = threading.Barrier(PEOPLE)
        results: list[tuple[int, str]] = []
        lock = threading.Lock()

        def attempt(person: int, start=start, barrier=barrier, results=results, lock=lock) -> None:
            visitor = visitors[person]
            data = {
                "csrfmiddlewaretoken": tokens[person],
                "slot": start.isoformat(),
                "name": f"Henkilö {person}",
                "email": f"h{person}@example.test",
                "started": old_token(),
                "website": "",
            }
            barrier.wait()
            outcome = visitor.post(url, data)
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(PEOPLE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(status for status, _body in results)
        assert len(results) == PEOPLE, round_number
        assert statuses.count(302) == 1, (round_number, statuses)
        assert statuses.count(409) == PEOPLE - 1, (round_number, statuses)
        losers = [body for status, body in results if status == 409]
        assert all("joku muu varasi ajan" in body for body in losers)
        assert Booking.objects.filter(start=start).count() == 1
    assert Booking.objects.count() == ROUNDS
    assert all(b.end - b.start == timedelta(minutes=30) for b in Booking.objects.all())

"""Twenty people pressing "issue" at the same moment get twenty different invoice numbers,
one after another, with no gaps: the counter row is locked while a number is taken.

The requests go to a live server over HTTP from twenty threads, released together. On
PostgreSQL that is pytest-django's ``live_server`` (each request thread has its own
connection). On SQLite the live server shares one in-memory connection among its threads,
which is not how Tila runs, so there the server is Tila itself (uvicorn) in another process on
a file copy of the test database, as in production."""

import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from tests.billing_helpers import give_addresses
from tests.factories import at, make_meeting
from tests.test_deploy import clean_environ
from tila.billing.actions import propose_invoice
from tila.billing.models import Invoice, InvoiceStatus
from tila.meetings.models import MeetingStatus

ISSUERS = 20
CSRF_SECRET = "a" * 32  # an unmasked token equal to the cookie's secret is accepted


def drafts(world) -> list[Invoice]:
    """One draft per held meeting, each its own invoice."""
    give_addresses(world.practice, world.organisation)
    made = []
    for index in range(ISSUERS):
        meeting = make_meeting(world.contract, world.owner, at(2026, 9, 1 + index, 8))
        meeting.status = MeetingStatus.HELD
        meeting.save()
        day = meeting.start.date()
        made.append(
            propose_invoice(
                practice=world.practice,
                contracts=[world.contract],
                organisation=None,
                period_start=day,
                period_end=day,
                actor=world.owner,
            )
        )
    return made


def session_cookie(user) -> str:
    http = HttpClient()
    http.force_login(user)
    return http.cookies[settings.SESSION_COOKIE_NAME].value


ROOT = Path(__file__).resolve().parent.parent


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirect)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server_url(request, tmp_path) -> Iterator[str]:
    """The URL of a running Tila that sees the test database."""
    if connection.vendor != "sqlite":
        yield request.getfixturevalue("live_server").url
        return
    connection.ensure_connection()
    copy = sqlite3.connect(tmp_path / "tila.sqlite3")
    connection.connection.backup(copy)
    copy.close()
    env = {**clean_environ(), "TILA_VAR_DIR": str(tmp_path), "TILA_SECRET_KEY": settings.SECRET_KEY}
    env.pop("DATABASE_URL", None)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            sys.executable,
            "-m",
            "uvicorn",
            "tila.asgi:application",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def issued_numbers(tmp_path: Path, invoices: list[Invoice]) -> list[tuple[str, int, str]]:
    """(status, number, reference) of the invoices, read from where the server wrote them."""
    uuids = [invoice.uuid for invoice in invoices]
    if connection.vendor != "sqlite":
        found = Invoice.objects.filter(uuid__in=uuids).values_list("status", "number", "reference")
        return [(status, number or 0, reference) for status, number, reference in found]
    database = sqlite3.connect(tmp_path / "tila.sqlite3")
    placeholders = ",".join("?" * len(uuids))
    rows: list[tuple[str, int, str]] = database.execute(
        f"SELECT status, number, reference FROM billing_invoice WHERE uuid IN ({placeholders})",  # noqa: S608
        [uuid.hex for uuid in uuids],
    ).fetchall()
    database.close()
    return rows


@pytest.mark.django_db(transaction=True)  # the server must see the drafts
def test_twenty_invoices_issued_at_once_get_twenty_consecutive_numbers(world, tmp_path, request):
    invoices = drafts(world)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={session_cookie(world.owner)}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    )
    url = request.getfixturevalue("server_url")  # now: on SQLite it copies the database
    start = threading.Barrier(ISSUERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def issue(invoice: Invoice) -> None:
        request = urllib.request.Request(  # noqa: S310 - the live server's own http URL
            url + reverse("issue_invoice", args=[invoice.uuid]),
            data=b"",
            method="POST",
            headers={"Cookie": cookie, "X-CSRFToken": CSRF_SECRET},
        )
        try:
            start.wait(timeout=30)
            with NO_REDIRECTS.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as answer:  # the redirect to the invoice page
            statuses.append(answer.code)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=issue, args=(invoice,)) for invoice in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * ISSUERS  # to the invoice page
    rows = issued_numbers(tmp_path, invoices)
    assert {status for status, _number, _reference in rows} == {InvoiceStatus.ISSUED}
    numbers = sorted(number for _status, number, _reference in rows)
    assert numbers == list(range(1000, 1000 + ISSUERS))
    assert len({reference for _status, _number, reference in rows}) == ISSUERS

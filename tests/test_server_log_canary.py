"""Canaries written through the running server never reach its log or the database files.

Tila runs as `make run` runs it (uvicorn, the demo practice in a fresh `var/`), with the log
at DEBUG. The supervisor writes notes with canary strings through the web pages (a plain
save, an autosave, a save refused for an identity code) and a supervisee writes in her journal;
both read them back, and then the server's whole output and the raw SQLite files are searched.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.test_deploy import clean_environ

ROOT = Path(__file__).resolve().parent.parent

SESSION = """
from django.test import Client
from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.meetings.models import Meeting
from tila.portal.actions import invite_supervisee
user = User.objects.get(email="marja@tila.example")
meeting = Meeting.objects.filter(supervisor=user).order_by("start").first()
member = ClientMember.objects.filter(client=meeting.contract.client).order_by("pk").first()
supervisee = invite_supervisee(member=member, actor=user).user
client, portal = Client(), Client()
client.force_login(user)
portal.force_login(supervisee)
print("SESSION", client.cookies["sessionid"].value, meeting.uuid, portal.cookies["sessionid"].value)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """Just enough of a browser: one session cookie, the CSRF cookie, redirects by hand."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session}

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        all_headers = {"Cookie": cookie, "Host": "127.0.0.1", **headers}
        body = None
        if data is not None:
            body = urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            all_headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        location = response.getheader("Location", "")
        connection.close()
        return response.status, location, text

    def get(self, path: str) -> str:
        status, _location, text = self.request("GET", path)
        assert status == 200, (path, status)
        return text


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise AssertionError("the server stopped")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite default only")
def test_notes_written_through_the_server_leave_no_trace_in_its_log_or_files(tmp_path):
    var = tmp_path / "var"
    env = {
        **clean_environ(),
        "TILA_VAR_DIR": str(var),
        "TILA_LOG_LEVEL": "DEBUG",
        "DJANGO_SETTINGS_MODULE": "tila.settings",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "TILA_MASTER_KEY"):
        env.pop(name, None)

    def manage(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("seed_demo")
    lines = manage("shell", "-c", SESSION).splitlines()
    line = next(text for text in lines if text.startswith("SESSION"))
    _marker, session, meeting, portal_session = line.split()

    canaries = [f"kanaria-{secrets.token_hex(10)}" for _ in range(4)]
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tila.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--log-level",
                "debug",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(port, server)
            browser = Browser(port, session)
            browser.get(f"/meetings/{meeting}/notes/")
            status, location, _ = browser.request(
                "POST",
                f"/meetings/{meeting}/notes/new/",
                {"kind": "private", "outline": "blank"},
            )
            assert status == 302, status
            note = re.sub(r"^https?://[^/]+", "", location)
            # A plain save, an autosave (htmx) and a save refused for an identity code.
            status, _, _ = browser.request("POST", note, {"text": canaries[0]})
            assert status == 302
            status, _, _ = browser.request(
                "POST", note, {"text": canaries[1]}, **{"HX-Request": "true"}
            )
            assert status == 200
            status, _, _ = browser.request(
                "POST", note, {"text": f"{canaries[2]} 131052-308T"}, **{"HX-Request": "true"}
            )
            assert status == 200 and canaries[2] not in browser.get(note)
            assert canaries[1] in browser.get(note)  # the control: the page shows the note
            # A supervisee writes in her private journal.
            journal = Browser(port, portal_session)
            journal.get("/portal/journal/new/")
            status, _, _ = journal.request(
                "POST", "/portal/journal/new/", {"prompt": "went_well", "text": canaries[3]}
            )
            assert status == 302, status
            assert canaries[3] in journal.get("/portal/journal/")
        finally:
            server.terminate()
            server.wait(timeout=30)

    output_text = log.read_bytes()
    assert f"POST {note}".encode() in output_text  # the control: requests are logged
    stored = b"".join(
        (var / name).read_bytes()
        for name in ("tila.sqlite3", "tila.sqlite3-wal")
        if (var / name).exists()
    )
    assert b"marja@tila.example" in stored  # the control: the scan sees stored data
    for canary in canaries:
        assert canary.encode() not in output_text
        assert canary.encode() not in stored

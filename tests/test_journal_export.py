"""A supervisee takes her journal with her as a zip (JSON and a readable page), also after
she has left the group, and then sees nothing new of the group."""

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from html import escape
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.audit.models import Action, AuditEvent
from tila.clients.models import ClientMember
from tila.journal.actions import share_entry, write_entry
from tila.journal.models import JournalEntry
from tila.meetings.models import MeetingStatus
from tila.notes.actions import create_note, save_note

pytestmark = pytest.mark.django_db

FIRST = "Kanari-vienti: mikä auttoi <jaksamaan> 8a2f"
SECOND = "Kanari-vienti: otan mukaani rauhan 4c9b"
NEW_SUMMARY = "Yhteenveto joulukuu: uusi sopimus vuorolistoista"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


class Text(HTMLParser):
    """The visible text of a page, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


def entries_of(member: ClientMember) -> list[JournalEntry]:
    user = member.person.supervisee_account.user
    with time_machine.travel(at(2026, 11, 2, 18), tick=False):
        first = write_entry(person=member.person, prompt="helped", text=FIRST, actor=user)
    second = write_entry(person=member.person, prompt="take_with_me", text=SECOND, actor=user)
    return [first, second]


def export(http: HttpClient) -> zipfile.ZipFile:
    response = http.get(reverse("export_journal"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="journal-2026-11-15.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_export_holds_every_entry_as_json_and_as_a_readable_page(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    first, second = entries_of(member)
    share_entry(entry=second, meeting=world.meeting, actor=member.person.supervisee_account.user)
    archive = export(http)
    assert sorted(archive.namelist()) == ["journal.html", "journal.json"]
    data = json.loads(archive.read("journal.json"))
    assert data["format"] == "tila-journal-1" and data["person"] == member.person.name
    assert [e["id"] for e in data["entries"]] == [str(second.uuid), str(first.uuid)]
    assert [e["text"] for e in data["entries"]] == [SECOND, FIRST]
    assert data["entries"][1]["prompt"] == "helped"
    assert data["entries"][1]["created_at"].startswith("2026-11-02T18:00:00")
    assert data["entries"][0]["shared_for_meeting_at"].startswith("2026-12-01T09:00:00")
    page = archive.read("journal.html").decode()
    assert "&lt;jaksamaan&gt;" in page  # escaped, not markup
    text = visible_text(page)
    assert FIRST in text and SECOND in text
    assert "Mikä auttoi?" in text and "ma 2.11.2026 klo 18.00" in text
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()  # hers, not logged


def test_the_export_has_only_her_own_entries(world: World) -> None:
    mine, theirs = member_of(world.contract, 0), member_of(world.contract, 1)
    http = log_in_as(mine, world.owner)
    log_in_as(theirs, world.owner)
    write_entry(
        person=theirs.person,
        prompt="free",
        text="Toisen merkintä",
        actor=theirs.person.supervisee_account.user,
    )
    data = json.loads(export(http).read("journal.json"))
    assert data["entries"] == []


def test_a_member_who_left_keeps_reading_and_exporting_her_journal_but_sees_nothing_new(
    world: World,
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    first, _second = entries_of(member)
    member.left_on = date(2026, 11, 10)
    member.save()
    # The group goes on without her: a new meeting and the December summary.
    december = make_meeting(world.contract, world.owner, at(2026, 12, 15))
    held = make_meeting(world.contract, world.owner, at(2026, 11, 12))
    held.status = MeetingStatus.HELD
    held.save()
    note = create_note(
        contract=world.contract, meeting=held, kind="summary", outline="blank", actor=world.owner
    )
    save_note(note=note, text=NEW_SUMMARY, actor=world.owner)

    journal = http.get(reverse("journal"))
    assert journal.status_code == 200
    assert escape(FIRST) in journal.content.decode() and SECOND in journal.content.decode()
    assert http.get(reverse("journal_entry", args=[first.uuid])).status_code == 200
    data = json.loads(export(http).read("journal.json"))
    assert {e["text"] for e in data["entries"]} == {FIRST, SECOND}
    # She can still write for herself, but no meeting of the group takes a share.
    assert (
        http.post(reverse("new_journal_entry"), {"prompt": "free", "text": "Jatkan"}).status_code
        == 302
    )
    entry_page = http.get(reverse("journal_entry", args=[first.uuid])).content.decode()
    assert str(december.uuid) not in entry_page and str(world.meeting.uuid) not in entry_page

    home = http.get(reverse("portal_home")).content.decode()
    assert str(december.uuid) not in home and str(world.meeting.uuid) not in home
    contract = http.get(reverse("portal_contract", args=[world.contract.uuid])).content.decode()
    assert NEW_SUMMARY not in contract
    calendar = http.get(reverse("portal_calendar")).content.decode()
    assert str(december.uuid) not in calendar
    assert http.get(reverse("portal_meeting_calendar", args=[december.uuid])).status_code == 404
    assert http.get(reverse("portal_cancel_meeting", args=[december.uuid])).status_code == 404


def test_nobody_else_can_export_a_journal(
    world: World, owner_client: HttpClient, assistant_client: HttpClient
) -> None:
    member = member_of(world.contract)
    log_in_as(member, world.owner)
    entries_of(member)
    for http in (owner_client, assistant_client, HttpClient()):
        response = http.get(reverse("export_journal"))
        assert response.status_code in (302, 404)
        assert FIRST.encode() not in response.content
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

"""A supervisee's private journal: her own entries, sealed at rest, nobody else's to read."""

from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.audit.models import Action, AuditEvent
from tila.journal.models import JournalEntry, Prompt
from tila.keys.actions import rotate_data_key
from tila.keys.registry import sealed_fields
from tila.keys.sealing import token_key_id, unseal

pytestmark = pytest.mark.django_db

SECRET = "Kanari-päiväkirja: tänään uskalsin sanoa ei 5d1c"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def write(http: HttpClient, text: str, prompt: str = "went_well") -> JournalEntry:
    response = http.post(reverse("new_journal_entry"), {"prompt": prompt, "text": text})
    assert response.status_code == 302
    entry = JournalEntry.objects.get(uuid=response["Location"].rstrip("/").split("/")[-1])
    return entry


def entry_url(entry: JournalEntry) -> str:
    return reverse("journal_entry", args=[entry.uuid])


def test_a_supervisee_writes_from_a_prompt_and_reads_her_entry(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    http.cookies["django_language"] = "en"
    form = http.get(reverse("new_journal_entry") + "?prompt=helped").content.decode()
    assert "What helped?" in form
    assert 'value="helped" id="id_prompt_1" required checked' in form
    entry = write(http, SECRET, prompt="helped")
    assert entry.person == member.person and entry.practice == world.practice
    assert entry.prompt == Prompt.HELPED and entry.shared_meeting is None
    page = http.get(entry_url(entry)).content.decode()
    assert SECRET in page and "What helped?" in page
    journal = http.get(reverse("journal")).content.decode()
    assert SECRET in journal and entry_url(entry) in journal
    # Her own writing and reading are not logged: the log would tell the owner she writes.
    assert not AuditEvent.objects.filter(object_type="journal.JournalEntry").exists()


def test_the_text_is_sealed_at_rest_and_registered_for_rotation(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    entry = write(http, SECRET)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {JournalEntry._meta.db_table}")  # noqa: S608
        [(stored,)] = cursor.fetchall()
    assert SECRET not in stored and stored.startswith("v1.")
    assert unseal(world.practice, stored, context=entry.context) == SECRET
    assert "journal.JournalEntry.text" in {field.label for field in sealed_fields()}
    old_key = token_key_id(stored)
    rotate_data_key(world.practice)
    entry.refresh_from_db()
    assert token_key_id(entry.text) != old_key
    assert http.get(entry_url(entry)).content.decode().count(SECRET) >= 1


def test_entries_are_listed_newest_first_with_their_dates(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    with time_machine.travel(at(2026, 11, 2, 18), tick=False):
        write(http, "Ensimmäinen merkintä")
    with time_machine.travel(at(2026, 11, 9, 18), tick=False):
        write(http, "Toinen merkintä", prompt="take_with_me")
    page = http.get(reverse("journal")).content.decode()
    assert page.index("Toinen merkintä") < page.index("Ensimmäinen merkintä")
    assert "9.11.2026" in page and "2.11.2026" in page


def test_she_edits_and_deletes_her_entry_and_each_write_is_audited(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    entry = write(http, "Luonnos")
    response = http.post(entry_url(entry), {"prompt": "next_step", "text": SECRET})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.prompt == "next_step"
    assert unseal(world.practice, entry.text, context=entry.context) == SECRET
    response = http.post(reverse("delete_journal_entry", args=[entry.uuid]))
    assert response.status_code == 302 and response["Location"] == reverse("journal")
    assert not JournalEntry.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="journal.JournalEntry")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == []  # an entry never shared leaves no trace in the practice's log


def test_an_empty_or_too_long_entry_is_refused_and_nothing_is_saved(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    http.cookies["django_language"] = "en"
    response = http.post(reverse("new_journal_entry"), {"prompt": "free", "text": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = http.post(reverse("new_journal_entry"), {"prompt": "free", "text": "x" * 10_001})
    assert "at most 10000 characters" in response.content.decode()
    response = http.post(reverse("new_journal_entry"), {"prompt": "nonsense", "text": "Hei"})
    assert response.status_code == 200
    assert not JournalEntry.objects.exists()


def test_nobody_else_reads_or_changes_an_entry(
    world: World,
    owner_client: HttpClient,
    assistant_client: HttpClient,
    colleague_client: HttpClient,
    other_client: HttpClient,
) -> None:
    entry = write(log_in_as(member_of(world.contract, 0), world.owner), SECRET)
    other_member = log_in_as(member_of(world.contract, 1), world.owner)
    other_practice_member = log_in_as(member_of(world.other_contract), world.other_owner)
    for http in (
        other_member,
        other_practice_member,
        owner_client,
        assistant_client,
        colleague_client,
        other_client,
    ):
        response = http.get(entry_url(entry))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
        assert (
            http.post(entry_url(entry), {"prompt": "free", "text": "Muutettu"}).status_code == 404
        )
        assert http.post(reverse("delete_journal_entry", args=[entry.uuid])).status_code == 404
        assert SECRET not in http.get(reverse("journal")).content.decode()
    entry.refresh_from_db()
    assert unseal(world.practice, entry.text, context=entry.context) == SECRET
    assert not AuditEvent.objects.filter(
        object_type="journal.JournalEntry", action=Action.READ
    ).exists()


def test_the_supervisors_own_pages_never_show_a_private_entry(
    world: World, owner_client: HttpClient
) -> None:
    write(log_in_as(member_of(world.contract), world.owner), SECRET)
    for url in (
        reverse("meeting_notes", args=[world.meeting.uuid]),
        reverse("meeting", args=[world.meeting.uuid]),
        reverse("contract", args=[world.contract.uuid]),
        reverse("client", args=[world.client.uuid]),
    ):
        response = owner_client.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()

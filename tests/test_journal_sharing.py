"""A supervisee shares a journal entry into a coming meeting of her group; the meeting's own
supervisor reads it on the meeting's notes page, every read logged. Nobody else sees it."""

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.audit.models import Action, AuditEvent
from tila.clients.models import ClientMember
from tila.journal.actions import write_entry
from tila.journal.models import JournalEntry
from tila.meetings.models import Meeting

pytestmark = pytest.mark.django_db

SECRET = "Kanari-jako: pelkään palautekeskustelua 3e7a"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def entry_of(member: ClientMember, text: str = SECRET) -> JournalEntry:
    return write_entry(
        person=member.person,
        prompt="next_step",
        text=text,
        actor=member.person.supervisee_account.user,
    )


def share(http: HttpClient, entry: JournalEntry, meeting: Meeting) -> int:
    url = reverse("share_journal_entry", args=[entry.uuid])
    return int(http.post(url, {"meeting": str(meeting.uuid)}).status_code)


def notes_page(http: HttpClient, meeting: Meeting) -> tuple[int, str]:
    response = http.get(reverse("meeting_notes", args=[meeting.uuid]))
    return response.status_code, response.content.decode()


def journal_reads() -> int:
    return AuditEvent.objects.filter(object_type="journal.JournalEntry", action=Action.READ).count()


def test_the_next_meeting_is_offered_first_and_the_supervisor_reads_the_share(
    world: World, owner_client: HttpClient
) -> None:
    later = make_meeting(world.contract, world.owner, at(2026, 12, 22))
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    page = http.get(reverse("journal_entry", args=[entry.uuid])).content.decode()
    assert page.index(str(world.meeting.uuid)) < page.index(str(later.uuid))
    assert f'value="{world.meeting.uuid}" selected' in page
    _status, before = notes_page(owner_client, world.meeting)
    assert SECRET not in before
    assert share(http, entry, world.meeting) == 302
    entry.refresh_from_db()
    assert entry.shared_meeting == world.meeting and entry.shared_at is not None
    shared = AuditEvent.objects.get(object_type="journal.JournalEntry", action=Action.SHARE)
    assert shared.detail["meeting"] == str(world.meeting.uuid)

    owner_client.cookies["django_language"] = "en"
    status, page = notes_page(owner_client, world.meeting)
    assert status == 200
    assert SECRET in page and member.person.name in page
    assert "What would one step forward look like?" in page
    _status, other = notes_page(owner_client, later)
    assert SECRET not in other


def test_every_read_by_the_supervisor_is_exactly_one_audit_event(
    world: World, owner_client: HttpClient
) -> None:
    first, second = member_of(world.contract, 0), member_of(world.contract, 1)
    entries = []
    for member in (first, second):
        http = log_in_as(member, world.owner)
        entries.append(entry_of(member, f"{SECRET} {member.pk}"))
        share(http, entries[-1], world.meeting)
    assert journal_reads() == 0
    notes_page(owner_client, world.meeting)
    reads = AuditEvent.objects.filter(object_type="journal.JournalEntry", action=Action.READ)
    assert sorted(e.object_id for e in reads) == sorted(str(e.uuid) for e in entries)
    assert {(e.actor_id, e.actor_role) for e in reads} == {(world.owner.pk, "owner")}
    notes_page(owner_client, world.meeting)
    assert journal_reads() == 4


def test_assistants_colleagues_other_practices_and_the_group_never_see_a_share(
    world: World,
    assistant_client: HttpClient,
    colleague_client: HttpClient,
    other_client: HttpClient,
) -> None:
    member = member_of(world.contract, 0)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    share(http, entry, world.meeting)
    for client in (assistant_client, colleague_client, other_client):
        status, page = notes_page(client, world.meeting)
        assert status == 404 and SECRET not in page
    group_member = log_in_as(member_of(world.contract, 1), world.owner)
    for url in (
        reverse("portal_home"),
        reverse("portal_contract", args=[world.contract.uuid]),
        reverse("journal"),
    ):
        assert SECRET not in group_member.get(url).content.decode()
    assert group_member.get(reverse("journal_entry", args=[entry.uuid])).status_code == 404
    assert journal_reads() == 0


def test_she_withdraws_the_share_before_the_meeting_but_not_after_it_starts(
    world: World, owner_client: HttpClient
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    share(http, entry, world.meeting)
    withdraw = reverse("withdraw_journal_share", args=[entry.uuid])
    assert http.post(withdraw).status_code == 302
    entry.refresh_from_db()
    assert entry.shared_meeting is None and entry.shared_at is None
    _status, page = notes_page(owner_client, world.meeting)
    assert SECRET not in page

    share(http, entry, world.meeting)
    with time_machine.travel(at(2026, 12, 1, 9, 5), tick=False):
        http.force_login(member.person.supervisee_account.user)  # a session lasts 8 hours
        http.cookies["django_language"] = "en"
        response = http.post(withdraw, follow=True)
        assert "can no longer be withdrawn" in response.content.decode()
    entry.refresh_from_db()
    assert entry.shared_meeting == world.meeting
    assert (
        AuditEvent.objects.filter(object_type="journal.JournalEntry", action=Action.SHARE).count()
        == 3
    )  # shared, withdrawn, shared again


def test_only_coming_meetings_of_her_own_current_group_take_a_share(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    past = make_meeting(world.contract, world.owner, at(2026, 11, 1))
    assert share(http, entry, past) == 302  # refused with a message: not among the choices
    assert share(http, entry, world.other_meeting) == 302
    entry.refresh_from_db()
    assert entry.shared_meeting is None
    member.left_on = date(2026, 11, 10)
    member.save()
    assert share(http, entry, world.meeting) == 302
    entry.refresh_from_db()
    assert entry.shared_meeting is None


def test_someone_elses_entry_cannot_be_shared_or_withdrawn(world: World) -> None:
    owner_member = member_of(world.contract, 0)
    log_in_as(owner_member, world.owner)
    entry = entry_of(owner_member)
    other = log_in_as(member_of(world.contract, 1), world.owner)
    assert share(other, entry, world.meeting) == 404
    assert other.post(reverse("withdraw_journal_share", args=[entry.uuid])).status_code == 404
    entry.refresh_from_db()
    assert entry.shared_meeting is None


def test_a_share_from_someone_who_left_before_the_meeting_is_not_shown(
    world: World, owner_client: HttpClient
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    share(http, entry, world.meeting)
    member.left_on = date(2026, 11, 20)
    member.save()
    _status, page = notes_page(owner_client, world.meeting)
    assert SECRET not in page
    assert journal_reads() == 0


def test_deleting_a_shared_entry_takes_it_off_the_meeting(
    world: World, owner_client: HttpClient
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    share(http, entry, world.meeting)
    http.post(reverse("delete_journal_entry", args=[entry.uuid]))
    _status, page = notes_page(owner_client, world.meeting)
    assert SECRET not in page


def test_changes_to_a_shared_entry_and_its_deletion_are_logged(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    entry = entry_of(member)
    assert share(http, entry, world.meeting) == 302
    http.post(
        reverse("journal_entry", args=[entry.uuid]), {"prompt": "helped", "text": "Uusi teksti"}
    )
    http.post(reverse("delete_journal_entry", args=[entry.uuid]))
    actions = list(
        AuditEvent.objects.filter(object_type="journal.JournalEntry", object_id=str(entry.uuid))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [Action.SHARE, Action.UPDATE, Action.DELETE]

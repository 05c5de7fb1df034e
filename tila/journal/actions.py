"""Writing, sharing, reading and exporting journal entries.

The practice's audit log, which its owner reads, must not tell that a supervisee keeps a journal:
her own writing, reading and export of unshared entries are not logged. Sharing and withdrawing,
changes to and the deletion of a shared entry, and every read by anyone else (which can only be a
supervisor reading an entry shared into her meeting, one event per entry) are."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import DetailValue, record_event
from tila.audit.models import Action, ActorRole
from tila.clients.models import Person
from tila.journal.access import member_at_meeting
from tila.journal.models import TEXT_MAX_CHARS, JournalEntry, Prompt
from tila.keys.sealing import seal, unseal
from tila.meetings.models import Meeting

OBJECT_TYPE = "journal.JournalEntry"


class JournalError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadEntry:
    """An entry with its text opened, for one page."""

    entry: JournalEntry
    text: str


def _audit(
    entry: JournalEntry, actor: User, action: str, role: str | None, **detail: DetailValue
) -> None:
    record_event(
        actor=actor,
        practice=entry.practice,
        object_type=OBJECT_TYPE,
        object_id=str(entry.uuid),
        action=action,
        detail={"prompt": entry.prompt, **detail},
        role=role,
    )


def _clean(prompt: str, text: str) -> str:
    if prompt not in Prompt.values:
        raise JournalError(_("Choose a question to start from."))
    text = text.strip()
    if not text:
        raise JournalError(_("Write something first."))
    if len(text) > TEXT_MAX_CHARS:
        raise JournalError(
            _("An entry can be at most %(count)s characters.") % {"count": TEXT_MAX_CHARS}
        )
    return text


def write_entry(*, person: Person, prompt: str, text: str, actor: User) -> JournalEntry:
    """Seal and save a new entry in the person's journal."""
    text = _clean(prompt, text)
    with transaction.atomic():
        entry = JournalEntry(practice=person.practice, person=person, prompt=prompt)
        entry.text = seal(person.practice, text, context=entry.context)
        entry.save()
    return entry


def edit_entry(*, entry: JournalEntry, prompt: str, text: str, actor: User) -> JournalEntry:
    text = _clean(prompt, text)
    with transaction.atomic():
        entry.prompt = prompt
        entry.text = seal(entry.practice, text, context=entry.context)
        entry.save(update_fields=["prompt", "text", "updated_at"])
        if entry.shared_at is not None:  # the supervisor reads it: its changes are logged
            _audit(entry, actor, Action.UPDATE, ActorRole.SUPERVISEE)
    return entry


def delete_entry(*, entry: JournalEntry, actor: User) -> None:
    """Delete the entry and its text for good, and any share with it."""
    with transaction.atomic():
        if entry.shared_at is not None:
            _audit(entry, actor, Action.DELETE, ActorRole.SUPERVISEE)
        entry.delete()


def can_withdraw(entry: JournalEntry) -> bool:
    """A share can be withdrawn until the meeting starts."""
    meeting = entry.shared_meeting
    return meeting is not None and meeting.start > timezone.now()


def share_entry(*, entry: JournalEntry, meeting: Meeting, actor: User) -> JournalEntry:
    """Share the entry into the meeting (one meeting at a time; sharing again moves it).

    The caller has checked that the meeting is a coming meeting of the author's own group
    (``tila.journal.access.access_meeting_to_share_into``)."""
    if entry.shared_meeting_id is not None and not can_withdraw(entry):
        raise JournalError(_("The entry was shared into a meeting that has already started."))
    with transaction.atomic():
        entry.shared_meeting = meeting
        entry.shared_at = timezone.now()
        entry.save(update_fields=["shared_meeting", "shared_at", "updated_at"])
        _audit(entry, actor, Action.SHARE, ActorRole.SUPERVISEE, meeting=str(meeting.uuid))
    return entry


def withdraw_share(*, entry: JournalEntry, actor: User) -> JournalEntry:
    """Take the entry back before the meeting starts; after that the share stays."""
    if entry.shared_meeting is None:
        return entry
    if not can_withdraw(entry):
        raise JournalError(_("The meeting has started, so the share can no longer be withdrawn."))
    with transaction.atomic():
        meeting = entry.shared_meeting
        entry.shared_meeting = None
        entry.shared_at = None
        entry.save(update_fields=["shared_meeting", "shared_at", "updated_at"])
        _audit(
            entry,
            actor,
            Action.SHARE,
            ActorRole.SUPERVISEE,
            meeting=str(meeting.uuid),
            withdrawn=True,
        )
    return entry


def _open(entry: JournalEntry) -> str:
    return unseal(entry.practice, entry.text, context=entry.context)


def read_own_entry(entry: JournalEntry) -> str:
    """The author's own reading: not audited."""
    return _open(entry)


def read_own_journal(person: Person) -> list[ReadEntry]:
    """All the person's entries, newest first, for herself."""
    entries = JournalEntry.objects.filter(person=person).select_related(
        "practice", "shared_meeting"
    )
    return [ReadEntry(entry=entry, text=_open(entry)) for entry in entries]


def read_shared_entries(*, meeting: Meeting, actor: User, role: str) -> list[ReadEntry]:
    """Entries shared into the meeting by members of its group, oldest share first, for the
    meeting's supervisor (the caller's access helper has checked that). One audit event per
    entry read."""
    entries = (
        JournalEntry.objects.filter(shared_meeting=meeting)
        .filter(member_at_meeting())
        .select_related("practice", "person")
        .order_by("shared_at", "id")
    )
    result = []
    for entry in entries:
        text = _open(entry)
        _audit(entry, actor, Action.READ, role, meeting=str(meeting.uuid))
        result.append(ReadEntry(entry=entry, text=text))
    return result


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def journal_data(person: Person, entries: list[ReadEntry] | None = None) -> dict[str, Any]:
    """The person's whole journal as plain data (for the export, and for a data request)."""
    if entries is None:
        entries = read_own_journal(person)
    return {
        "format": "tila-journal-1",
        "person": person.name,
        "practice": person.practice.name,
        "exported_at": _iso(timezone.now()),
        "entries": [
            {
                "id": str(read.entry.uuid),
                "created_at": _iso(read.entry.created_at),
                "updated_at": _iso(read.entry.updated_at),
                "prompt": read.entry.prompt,
                "question": read.entry.question,
                "text": read.text,
                "shared_for_meeting_at": _iso(
                    read.entry.shared_meeting.start if read.entry.shared_meeting else None
                ),
            }
            for read in entries
        ],
    }


def export_journal(*, person: Person, actor: User) -> bytes:
    """A zip with the journal as JSON (``journal.json``) and as a page to read and print
    (``journal.html``). Like her writing, it is not logged: the practice's log would tell the
    supervisor that she keeps a journal."""
    entries = read_own_journal(person)
    data = journal_data(person, entries)
    page = render_to_string(
        "journal/export.html", {"data": data, "entries": entries, "exported": timezone.now()}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("journal.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("journal.html", page)
    return buffer.getvalue()

"""Everything that reads or changes a note. Each read and write is audited."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import DetailValue, record_event
from tila.contracts.models import Contract
from tila.keys.sealing import seal, unseal
from tila.lib.identifiers import full_names, identity_codes
from tila.meetings.models import Meeting
from tila.notes.models import Note, NoteKind, NoteRevision
from tila.notes.outlines import OUTLINES
from tila.practices.models import Form

OBJECT_TYPE = "notes.Note"
# In therapy and case supervision the notes are about the supervisee's clients.
CLIENT_WORK_FORMS = {Form.THERAPY, Form.CASE}


class NoteError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Check:
    """What a text holds that should not be in a note."""

    identity_codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return bool(self.identity_codes)


def check_text(text: str, contract: Contract) -> Check:
    """Identity codes are never stored; names are warned about in client work."""
    names = full_names(text) if contract.form in CLIENT_WORK_FORMS else []
    return Check(identity_codes=identity_codes(text), names=names)


def _audit(
    note: Note, actor: User, action: str, role: str | None = None, **detail: DetailValue
) -> None:
    record_event(
        actor=actor,
        practice=note.practice,
        object_type=OBJECT_TYPE,
        object_id=str(note.uuid),
        action=action,
        detail={"kind": note.kind, **detail},
        role=role,
    )


def create_note(
    *,
    contract: Contract,
    meeting: Meeting | None,
    kind: str,
    outline: str,
    actor: User,
) -> Note:
    """Start a note from an outline. A meeting has at most one note of each kind."""
    if meeting is not None:
        existing = Note.objects.filter(meeting=meeting, kind=kind).first()
        if existing is not None:
            return existing
    if kind == NoteKind.SUMMARY and meeting is None:
        raise NoteError(_("A shared summary belongs to a meeting."))
    chosen = OUTLINES.get(outline, OUTLINES["blank"])
    with transaction.atomic():
        note = Note(
            practice=contract.practice, contract=contract, meeting=meeting, kind=kind, author=actor
        )
        note.body = seal(contract.practice, chosen.text(), context=note.context)
        note.save()
        _audit(note, actor, "create")
    return note


def read_note(note: Note, *, actor: User, role: str | None = None) -> str:
    """The note's text. Every call is one read in the audit log.

    ``role`` names the reader's role when it is not a membership of the practice (a
    supervisee reading a shared summary)."""
    text = unseal(note.practice, note.body, context=note.context)
    _audit(note, actor, "read", role=role)
    return text


def read_revisions(note: Note, *, actor: User) -> list[tuple[NoteRevision, str, str]]:
    revisions = list(note.revisions.select_related("author"))
    if not revisions:
        return []
    result = [
        (
            revision,
            unseal(note.practice, revision.body, context=revision.body_context),
            unseal(note.practice, revision.reason, context=revision.reason_context),
        )
        for revision in revisions
    ]
    _audit(note, actor, "read", revisions=len(revisions))
    return result


def save_note(*, note: Note, text: str, actor: User, reason: str = "") -> Note:
    """Save new text. A locked note keeps its earlier text as a revision with the reason."""
    if note.is_locked and not reason.strip():
        raise NoteError(_("The note is locked. Say why you change it."))
    with transaction.atomic():
        locked = Note.objects.select_for_update().get(pk=note.pk)
        if locked.is_locked:
            revision = NoteRevision(note=locked, author=actor)
            previous = unseal(locked.practice, locked.body, context=locked.context)
            revision.body = seal(locked.practice, previous, context=revision.body_context)
            revision.reason = seal(locked.practice, reason.strip(), context=revision.reason_context)
            revision.save()
        locked.body = seal(locked.practice, text, context=locked.context)
        locked.save(update_fields=["body", "updated_at"])
        _audit(locked, actor, "update", after_lock=locked.is_locked)
    return locked


def lock_note(*, note: Note, actor: User) -> Note:
    """Lock (sign) the note: later changes keep the original and record why."""
    if note.is_locked:
        return note
    with transaction.atomic():
        note.locked_at = timezone.now()
        note.locked_by = actor
        note.save(update_fields=["locked_at", "locked_by", "updated_at"])
        _audit(note, actor, "lock")
    return note

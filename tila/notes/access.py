"""Access to notes: only the supervisors of the note's contract.

An assistant, the practice's other supervisors, and everyone outside the practice get 404,
and the attempt is written to the audit log."""

from uuid import UUID

from django.http import Http404, HttpRequest

from tila.audit.actions import record_denied
from tila.contracts.access import access_contract
from tila.contracts.models import Contract
from tila.meetings.access import access_meeting
from tila.meetings.models import Meeting
from tila.notes.models import Note
from tila.practices.models import Membership


def writes_notes(membership: Membership, contract: Contract) -> bool:
    """Notes are for the contract's own supervisors, never for an assistant."""
    return contract.is_supervised_by(membership)


def _deny(request: HttpRequest, object_type: str, object_id: UUID) -> Http404:
    record_denied(request, object_type, str(object_id))
    return Http404()


def access_note(request: HttpRequest, membership: Membership, note_uuid: UUID) -> Note:
    note = (
        Note.objects.filter(practice=membership.practice, uuid=note_uuid)
        .select_related("contract", "contract__client", "meeting")
        .first()
    )
    if note is None or not writes_notes(membership, note.contract):
        raise _deny(request, "notes.Note", note_uuid)
    return note


def access_meeting_for_notes(
    request: HttpRequest, membership: Membership, meeting_uuid: UUID
) -> Meeting:
    meeting = access_meeting(membership, meeting_uuid)
    if not writes_notes(membership, meeting.contract):
        raise _deny(request, "meetings.Meeting.notes", meeting_uuid)
    return meeting


def access_contract_for_notes(
    request: HttpRequest, membership: Membership, contract_uuid: UUID
) -> Contract:
    contract = access_contract(membership, contract_uuid)
    if not writes_notes(membership, contract):
        raise _deny(request, "contracts.Contract.notes", contract_uuid)
    return contract

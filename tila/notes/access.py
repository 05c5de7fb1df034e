"""Access to notes: only the supervisors of the note's contract.

An assistant, the practice's other supervisors, and everyone outside the practice get 404
(which ``tila.audit.middleware`` writes to the audit log)."""

from uuid import UUID

from django.http import Http404

from tila.contracts.access import access_contract
from tila.contracts.models import Contract
from tila.meetings.access import access_meeting
from tila.meetings.models import Meeting
from tila.notes.models import Note
from tila.practices.models import Membership


def writes_notes(membership: Membership, contract: Contract) -> bool:
    """Notes are for the contract's own supervisors, never for an assistant."""
    return contract.is_supervised_by(membership)


def access_note(membership: Membership, note_uuid: UUID) -> Note:
    note = (
        Note.objects.filter(practice=membership.practice, uuid=note_uuid)
        .select_related("contract", "contract__client", "meeting")
        .first()
    )
    if note is None or not writes_notes(membership, note.contract):
        raise Http404
    return note


def access_meeting_for_notes(membership: Membership, meeting_uuid: UUID) -> Meeting:
    meeting = access_meeting(membership, meeting_uuid)
    if not writes_notes(membership, meeting.contract):
        raise Http404
    return meeting


def access_contract_for_notes(membership: Membership, contract_uuid: UUID) -> Contract:
    contract = access_contract(membership, contract_uuid)
    if not writes_notes(membership, contract):
        raise Http404
    return contract

"""Which notes are a person's personal data, and how they are deleted.

- Every note of an *individual* client's contract (private notes and shared summaries, with
  their earlier versions) is about that one person: it is exported to her and erased with
  her.
- The shared summaries of group meetings she attended were written for her (among others):
  they are exported to her, and kept when she is erased, because they are the group's
  shared record.
- The supervisor's private notes of group meetings are the group's record and hold what
  the others said: they are neither exported nor erased for one member.

Notes are read only through ``tila.notes.actions.read_note`` (each read is audited), and
each deleted note leaves a ``delete`` event in the audit log."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Contact, Person
from tila.clients.privacy import individual_clients
from tila.contracts.models import Contract
from tila.lib.privacy import Counts, Item, PlanLine, Section, item
from tila.meetings.models import Attendance
from tila.meetings.privacy import meetings_as_member
from tila.notes.actions import OBJECT_TYPE, read_note, read_revisions
from tila.notes.models import Note, NoteKind

Subject = Person | Contact


def individual_notes(person: Person) -> QuerySet[Note]:
    return Note.objects.filter(contract__client__in=individual_clients(person))


def attended_summaries(person: Person) -> QuerySet[Note]:
    """Shared summaries of group meetings held while she was a member, unless she was
    recorded absent."""
    absent = Attendance.objects.filter(member__person=person, present=False)
    meetings = meetings_as_member(person).exclude(pk__in=absent.values("meeting_id"))
    return Note.objects.filter(kind=NoteKind.SUMMARY, meeting__in=meetings).exclude(
        contract__client__in=individual_clients(person)
    )


def _record(note: Note, actor: User) -> list[Item]:
    record = [
        item("kind", _("Kind"), note.get_kind_display()),
        item("contract", _("Contract"), note.contract.title),
        item("meeting", _("Meeting"), note.meeting.start if note.meeting else None),
        item("created_at", _("Written"), note.created_at),
        item("text", _("Text"), read_note(note, actor=actor)),
    ]
    if note.is_locked:
        earlier = [text for _revision, text, _reason in read_revisions(note, actor=actor)]
        record.append(item("earlier_versions", _("Earlier versions"), earlier))
    return record


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        return []
    related = ("contract", "meeting", "practice")
    own = Section(
        key="individual_notes",
        title=_("Notes of individual supervision"),
        about=_("The supervisor's notes and summaries of your individual supervision."),
        records=[
            _record(note, actor)
            for note in individual_notes(subject).select_related(*related).order_by("created_at")
        ],
    )
    shared = Section(
        key="shared_summaries",
        title=_("Shared summaries of group meetings"),
        about=_(
            "Summaries the supervisor shared with the group after meetings you attended. The "
            "supervisor's private notes of group meetings are the group's record and hold "
            "what others said; they are not included."
        ),
        records=[
            _record(note, actor)
            for note in attended_summaries(subject)
            .select_related(*related)
            .order_by("meeting__start")
        ],
    )
    return [own, shared]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    lines = []
    own = individual_notes(subject).count()
    if own:
        lines.append(
            PlanLine(
                ngettext(
                    "%(count)d note of individual supervision",
                    "%(count)d notes of individual supervision",
                    own,
                )
                % {"count": own},
                erase=True,
            )
        )
    shared = attended_summaries(subject).count()
    lines.append(
        PlanLine(
            ngettext(
                "%(count)d shared summary of a group meeting, and the supervisor's notes of "
                "the group",
                "%(count)d shared summaries of group meetings, and the supervisor's notes of "
                "the group",
                shared,
            )
            % {"count": shared},
            erase=False,
            reason=_("They are the group's shared record and belong to the others too."),
        )
    )
    return lines


def delete_notes(notes: QuerySet[Note], *, actor: User | None, reason: str) -> int:
    """Delete the notes and their earlier versions; one ``delete`` audit event each."""
    count = 0
    for note in notes.select_related("practice"):
        record_event(
            actor=actor,
            practice=note.practice,
            object_type=OBJECT_TYPE,
            object_id=str(note.uuid),
            action=Action.DELETE,
            detail={"kind": note.kind, "reason": reason},
        )
        note.delete()
        count += 1
    return count


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    return {"notes": delete_notes(individual_notes(subject), actor=actor, reason="erasure")}


# Retention: the content of an ended contract is deleted some months after it ended.
def count_contract_content(contract: Contract) -> Counts:
    return {"notes": Note.objects.filter(contract=contract).count()}


def delete_contract_content(contract: Contract) -> Counts:
    notes = Note.objects.filter(contract=contract)
    return {"notes": delete_notes(notes, actor=None, reason="retention")}

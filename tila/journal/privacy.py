"""A supervisee's journal in a data request, an erasure and retention.

The journal is private to its author, also towards the practice, which must not even learn
whether she keeps one: the owner's export of a person says where she downloads her journal
herself (``export_journal`` in the portal), erasure deletes every entry without counting them,
and retention deletes them, uncounted, when the retention period of the last of her contracts
is over (tila.privacy.retention).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Contact, Person
from tila.journal.actions import OBJECT_TYPE
from tila.journal.models import JournalEntry
from tila.lib.privacy import Counts, PlanLine, Section

Subject = Person | Contact


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        return []
    # Not even the dates: the practice exports this, and whether she keeps a journal is hers.
    return [
        Section(
            key="journal",
            title=_("Journal"),
            about=_(
                "If you keep a journal in the portal, it is private to you, also towards the "
                "supervisor, and it is not in this export. You can download it yourself in the "
                "portal, under Journal."
            ),
            records=[],
        )
    ]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    # Whether she keeps a journal is hers to tell: no count, here or in the audit log.
    return [PlanLine(_("Her private journal, if she keeps one"), erase=True)]


def _delete(entries: QuerySet[JournalEntry]) -> None:
    """Delete the entries. Shared ones were the supervisor's to read: those deletions are
    logged, one event each; the rest leave no trace, like the writing did."""
    for entry in entries.select_related("practice"):
        if entry.shared_at is not None:
            record_event(
                actor=None,
                practice=entry.practice,
                object_type=OBJECT_TYPE,
                object_id=str(entry.uuid),
                action=Action.DELETE,
            )
        entry.delete()


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    _delete(JournalEntry.objects.filter(person=subject))
    return {}


def persons_with_content() -> QuerySet[Person]:
    """The people who have journal entries, for retention."""
    return Person.objects.filter(journal_entries__isnull=False).distinct()


def delete_person_content(person: Person) -> Counts:
    """Retention: the journal of a person whose contracts have all ended long enough ago."""
    _delete(JournalEntry.objects.filter(person=person))
    return {}

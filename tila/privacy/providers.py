"""The apps that hold personal data, listed explicitly.

Each is a module (an app's ``privacy.py``) with the functions of ``Provider``; those that
hold an ended contract's content also have the functions of ``RetentionProvider``. A new
app that holds personal data adds its module here. The order is the order of the export;
erasure runs it backwards, so that the address book forgets the name last."""

from typing import Protocol

from django.db.models import QuerySet

from tila.accounts.models import User
from tila.clients import privacy as clients
from tila.clients.models import Contact, Person
from tila.contracts import privacy as contracts
from tila.contracts.models import Contract
from tila.journal import privacy as journal
from tila.lib.privacy import Counts, PlanLine, Section
from tila.meetings import privacy as meetings
from tila.notes import privacy as notes
from tila.orderers import privacy as orderers
from tila.portal import privacy as portal
from tila.scheduling import privacy as scheduling
from tila.statements import privacy as statements
from tila.topics import privacy as topics

Subject = Person | Contact


class Provider(Protocol):
    def export_person(self, subject: Subject, *, actor: User) -> list[Section]: ...

    def plan_erasure(self, subject: Subject) -> list[PlanLine]: ...

    def erase_person(self, subject: Subject, *, actor: User, pseudonym: str) -> Counts: ...


class PersonRetentionProvider(Protocol):
    def persons_with_content(self) -> QuerySet[Person]: ...

    def delete_person_content(self, person: Person) -> Counts: ...


class RetentionProvider(Protocol):
    def count_contract_content(self, contract: Contract) -> Counts: ...

    def delete_contract_content(self, contract: Contract) -> Counts: ...


PROVIDERS: tuple[Provider, ...] = (
    clients,
    portal,
    orderers,
    contracts,
    meetings,
    scheduling,
    topics,
    journal,
    notes,
    statements,
)

# Content that dies with an ended contract.
RETENTION: tuple[RetentionProvider, ...] = (notes, topics)
# A person's own content, which dies when the last of her contracts' time is up.
PERSON_RETENTION: tuple[PersonRetentionProvider, ...] = (journal,)

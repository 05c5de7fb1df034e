"""Statements released to the orderer, which the supervisees see too.

Exported to the supervisees of the contract and to the orderer's contact person. Erasing a
member of a group keeps them (they are about the group's supervision); an individual
client's statements are about her alone and are erased with her."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Contact, Person
from tila.clients.privacy import individual_clients
from tila.contracts.privacy import subject_contracts
from tila.lib.privacy import Counts, PlanLine, Section, item
from tila.statements.actions import OBJECT_TYPE, read_statement
from tila.statements.models import Statement, StatementStatus

Subject = Person | Contact


def _individual(person: Person) -> QuerySet[Statement]:
    return Statement.objects.filter(contract__client__in=individual_clients(person))


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    statements = (
        Statement.objects.filter(
            contract__in=subject_contracts(subject), status=StatementStatus.RELEASED
        )
        .select_related("practice", "contract")
        .order_by("released_at", "id")
    )
    section = Section(
        key="statements",
        title=_("Statements to the orderer"),
        about=_("What the supervisor shared with the orderer about your contracts."),
    )
    for statement in statements:
        text = read_statement(statement, actor=actor)
        section.records.append(
            [
                item("contract", _("Contract"), statement.contract.title),
                item("released_at", _("Shared at"), statement.released_at),
                item("text", _("Text"), text),
            ]
        )
    return [section]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    lines = []
    own = _individual(subject).count()
    if own:
        lines.append(
            PlanLine(
                ngettext(
                    "%(count)d statement about individual supervision",
                    "%(count)d statements about individual supervision",
                    own,
                )
                % {"count": own},
                erase=True,
            )
        )
    return lines


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    count = 0
    for statement in _individual(subject).select_related("practice"):
        record_event(
            actor=actor,
            practice=statement.practice,
            object_type=OBJECT_TYPE,
            object_id=str(statement.uuid),
            action=Action.DELETE,
            detail={"reason": "erasure"},
        )
        statement.delete()
        count += 1
    return {"statements": count}

"""Writing, releasing and reading statements for the orderer.

Creating, changing and releasing are recorded in the audit log; the release is the
"share" event the practice can later point to."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import DetailValue, record_event
from tila.audit.models import Action
from tila.contracts.models import Contract
from tila.keys.sealing import seal, unseal
from tila.statements.models import Statement, StatementStatus
from tila.statements.summaries import SharedSummary, read_summary

OBJECT_TYPE = "statements.Statement"


class StatementError(Exception):
    """A change that cannot be made; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SharedStatement:
    """What the orderer (and the supervisees) are shown of one statement: nothing more."""

    text: str
    released_at: datetime
    summary: SharedSummary | None = None


def _audit(
    statement: Statement,
    actor: User,
    action: str,
    role: str | None = None,
    **detail: DetailValue,
) -> None:
    record_event(
        actor=actor,
        practice=statement.practice,
        object_type=OBJECT_TYPE,
        object_id=str(statement.uuid),
        action=action,
        detail={"contract": str(statement.contract.uuid), **detail},
        role=role,
    )


def create_statement(*, contract: Contract, text: str, actor: User) -> Statement:
    """Write a draft. Only a contract with an orderer has someone to share with."""
    if contract.organisation_id is None:
        raise StatementError(_("This contract has no orderer: there is no one to share with."))
    with transaction.atomic():
        statement = Statement(practice=contract.practice, contract=contract, created_by=actor)
        statement.text = seal(contract.practice, text, context=statement.context)
        statement.save()
        _audit(statement, actor, Action.CREATE)
    return statement


def edit_statement(*, statement: Statement, text: str, actor: User) -> Statement:
    """Change a draft's text. A released statement is what the orderer was given: it stays."""
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.is_released:
            raise StatementError(_("This statement was already shared and can no longer change."))
        locked.text = seal(statement.practice, text, context=locked.context)
        locked.save(update_fields=["text"])
        _audit(statement, actor, Action.UPDATE)
    statement.text = locked.text
    return statement


def release_statement(*, statement: Statement, actor: User) -> Statement:
    """Share the draft with the orderer: from now on the orderer and the supervisees see it."""
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.is_released:
            raise StatementError(_("This statement was already shared."))
        locked.status = StatementStatus.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = actor
        locked.save(update_fields=["status", "released_at", "released_by"])
        _audit(statement, actor, Action.SHARE)
    statement.status = locked.status
    statement.released_at = locked.released_at
    statement.released_by = actor
    return statement


def _text(statement: Statement) -> str:
    return unseal(statement.practice, statement.text, context=statement.context)


def read_statement(statement: Statement, *, actor: User, role: str | None = None) -> str:
    """The statement's text; every read is logged (role: the reader's, when not a member)."""
    _audit(statement, actor, Action.READ, role=role)
    return _text(statement)


def contract_statements(contract: Contract) -> list[tuple[Statement, str]]:
    """The contract's statements with their texts for its own supervisors' list, which is
    not logged per statement: they wrote them, and every read by anyone else is."""
    statements = Statement.objects.filter(contract=contract).select_related("practice")
    return [(statement, _text(statement)) for statement in statements]


def released_statements(contract: Contract, *, actor: User, role: str) -> list[SharedStatement]:
    """The contract's released statements, newest first, read by a supervisee or the orderer's
    contact (``role``). Drafts never leave here."""
    statements = Statement.objects.filter(
        contract=contract, status=StatementStatus.RELEASED
    ).select_related("practice", "contract")
    return [
        SharedStatement(
            text=read_statement(statement, actor=actor, role=role),
            released_at=statement.released_at,
            summary=read_summary(statement.summary),
        )
        for statement in statements.order_by("-released_at", "-id")
        if statement.released_at is not None
    ]


def release_summary(
    *, contract: Contract, summary: dict[str, Any], summary_of: UUID, actor: User
) -> Statement:
    """Share a summary of group results the supervisor has just previewed: written and released
    at once, frozen as it is now. Only a contract with an orderer has someone to share with."""
    if contract.organisation_id is None:
        raise StatementError(_("This contract has no orderer: there is no one to share with."))
    with transaction.atomic():
        statement = Statement(
            practice=contract.practice,
            contract=contract,
            created_by=actor,
            summary=summary,
            summary_of=summary_of,
            status=StatementStatus.RELEASED,
            released_at=timezone.now(),
            released_by=actor,
        )
        statement.text = seal(contract.practice, "", context=statement.context)
        statement.save()
        _audit(statement, actor, Action.CREATE, round=str(summary_of))
        _audit(statement, actor, Action.SHARE, round=str(summary_of))
    return statement

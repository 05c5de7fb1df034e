"""Access to statements for the orderer: only the supervisors of the statement's contract.

An assistant, the practice's other supervisors, and everyone outside the practice get 404.
The orderer and the supervisees see released statements on their own pages, which fetch
them through ``tila.statements.actions.released_statements``."""

from uuid import UUID

from django.http import Http404

from tila.contracts.access import access_contract
from tila.contracts.models import Contract
from tila.practices.models import Membership
from tila.statements.models import Statement


def access_contract_for_statements(membership: Membership, contract_uuid: UUID) -> Contract:
    contract = access_contract(membership, contract_uuid)
    if not contract.is_supervised_by(membership):
        raise Http404
    return contract


def access_statement(membership: Membership, statement_uuid: UUID) -> Statement:
    statement = (
        Statement.objects.filter(practice=membership.practice, uuid=statement_uuid)
        .select_related("practice", "contract", "contract__organisation", "released_by")
        .first()
    )
    if statement is None or not statement.contract.is_supervised_by(membership):
        raise Http404
    return statement

"""Access to evaluation rounds.

The supervisor side: only the supervisors of the round's contract (an assistant, the practice's
other supervisors and everyone outside get 404). The portal: a supervisee answers only the
rounds of the current contracts of the groups she now belongs to."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tila.clients.models import Person
from tila.contracts.access import access_contract
from tila.contracts.models import Contract, Status
from tila.evaluations.models import EvaluationRound, Questionnaire
from tila.practices.models import Membership, Role

CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


def access_contract_for_evaluations(membership: Membership, contract_uuid: UUID) -> Contract:
    contract = access_contract(membership, contract_uuid)
    if not contract.is_supervised_by(membership):
        raise Http404
    return contract


def access_round(membership: Membership, round_uuid: UUID) -> EvaluationRound:
    evaluation = (
        EvaluationRound.objects.filter(practice=membership.practice, uuid=round_uuid)
        .select_related("practice", "contract", "questionnaire")
        .first()
    )
    if evaluation is None or not evaluation.contract.is_supervised_by(membership):
        raise Http404
    return evaluation


def portal_rounds(person: Person) -> "list[EvaluationRound]":
    """The open rounds the person is asked to answer, newest first."""
    return list(
        EvaluationRound.objects.filter(
            practice=person.practice,
            closed_at__isnull=True,
            contract__status__in=CURRENT_STATUSES,
            contract__client__members__person=person,
            contract__client__members__left_on__isnull=True,
        )
        .select_related("practice", "contract", "questionnaire")
        .distinct()
        .order_by("-opened_at")
    )


def access_portal_round(person: Person, round_uuid: UUID) -> EvaluationRound:
    return get_object_or_404(
        EvaluationRound.objects.filter(
            practice=person.practice,
            contract__status__in=CURRENT_STATUSES,
            contract__client__members__person=person,
            contract__client__members__left_on__isnull=True,
        )
        .select_related("practice", "contract", "questionnaire")
        .distinct(),
        uuid=round_uuid,
    )


def require_supervisor(membership: Membership) -> None:
    """Questionnaires are the supervisors' tools: an assistant does not see them."""
    if membership.role == Role.ASSISTANT:
        raise PermissionDenied


def access_questionnaire(membership: Membership, questionnaire_uuid: UUID) -> Questionnaire:
    """One of the practice's own questionnaires (not Tila's measures nor a contract's goals)."""
    if membership.role == Role.ASSISTANT:
        raise Http404
    return get_object_or_404(
        Questionnaire.objects.filter(practice=membership.practice, measure="", contract=None),
        uuid=questionnaire_uuid,
    )

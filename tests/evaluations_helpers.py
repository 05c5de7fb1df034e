"""Shared set-up for evaluation tests: a round in the world's contract and answers to it."""

from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from tests.portal_helpers import log_in_as, member_of
from tila.accounts.models import User
from tila.contracts.models import Contract
from tila.evaluations.actions import measure_questionnaire, open_round
from tila.evaluations.models import EvaluationRound, Item, ItemKind


def feedback_round(
    contract: Contract, actor: User, *, anonymous: bool = True, k: int = 3
) -> EvaluationRound:
    questionnaire = measure_questionnaire(contract.practice, "session_feedback")
    return open_round(
        contract=contract, questionnaire=questionnaire, anonymous=anonymous, k=k, actor=actor
    )


def answer_data(evaluation: EvaluationRound, number: int, text: str = "") -> dict[str, Any]:
    """A POST body answering every numeric item with ``number`` and the open one with text."""
    data: dict[str, Any] = {}
    for item in Item.objects.filter(section__questionnaire=evaluation.questionnaire):
        name = f"item-{item.uuid.hex}"
        if item.is_numeric:
            data[name] = str(number)
        elif item.kind in (ItemKind.SHORT_TEXT, ItemKind.LONG_TEXT):
            data[name] = text
    return data


def answer_as(
    evaluation: EvaluationRound, index: int, number: int, text: str = "", http: Any = None
) -> HttpClient:
    """Member ``index`` of the contract's group answers in the portal; returns her client."""
    if http is None:
        assert evaluation.opened_by is not None
        http = log_in_as(member_of(evaluation.contract, index), evaluation.opened_by)
    http.post(
        reverse("portal_evaluation", args=[evaluation.uuid]),
        answer_data(evaluation, number, text),
    )
    return http

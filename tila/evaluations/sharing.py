"""A summary of a round's group results for the orderer, shared through the statements' step.

What the orderer may be given is decided here, and only here: the aggregates (number of answers,
means, how many gave each value or chose each choice) of the questions the orderer may see
(``Item.orderer_may_see``: never a goal the supervisees keep to themselves), and of those only
the ones with at least k answers. Free-text answers never: they are not even read. Below k
answers in the round there is no summary at all.

The supervisor previews the summary; sharing it makes it again and compares it with what she
saw (``fingerprint``), so that what is shared is exactly what was previewed. The shared summary
is frozen in a released ``Statement`` (``tila.statements.actions.release_summary``): later
answers do not change it, and the supervisees see it in their portal like any statement."""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    EvaluationRound,
    Item,
    Point,
    Response,
)
from tila.statements.actions import StatementError, release_summary
from tila.statements.models import Statement


class SharingError(Exception):
    """A summary that cannot be shared; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _both(finnish: str, english: str) -> dict[str, str]:
    return {"fi": finnish, "en": english}


def _point_label(evaluation: EvaluationRound) -> dict[str, str]:
    if not evaluation.point:
        return _both("", "")
    labels = {}
    for language in ("fi", "en"):
        with translation.override(language):
            labels[language] = str(Point(evaluation.point).label)
    return labels


def _item_summary(item: Item, answers: list[Answer], k: int) -> dict[str, Any] | None:
    """One question's aggregates, or None when it may not be shared."""
    if item.is_text or not item.orderer_may_see:
        return None
    if item.goal_id is None and item.section.questionnaire.measure == GOAL_ATTAINMENT:
        return None  # a goal since removed: nobody can now say whether it was shared
    summary: dict[str, Any] = {
        "kind": item.kind,
        "text": _both(item.text_fi, item.text_en),
    }
    if item.is_numeric:
        numbers = [answer.number for answer in answers if answer.number is not None]
        if len(numbers) < k:
            return None
        summary.update(
            low=_both(item.low_label_fi, item.low_label_en),
            high=_both(item.high_label_fi, item.high_label_en),
            count=len(numbers),
            mean=round(sum(numbers) / len(numbers), 2),
            values=[[value, numbers.count(value)] for value in item.scale],
        )
        return summary
    if item.kind not in CHOICE_KINDS:
        return None
    chosen = [answer.chosen or [] for answer in answers if answer.chosen]
    if len(chosen) < k:
        return None
    summary.update(
        count=len(chosen),
        values=[
            [_both(choice.get("fi", ""), choice.get("en", "")), sum(index in c for c in chosen)]
            for index, choice in enumerate(item.choices)
        ],
    )
    return summary


def orderer_summary(evaluation: EvaluationRound) -> dict[str, Any] | None:
    """What the orderer would be given of the round now; None below k answers."""
    count = Response.objects.filter(round=evaluation).count()
    if count < evaluation.k:
        return None
    items = (
        Item.objects.filter(section__questionnaire=evaluation.questionnaire)
        .exclude(kind__in=TEXT_KINDS)
        .select_related("goal", "section__questionnaire")
        .order_by("section__position", "position")
    )
    answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__round=evaluation, item__in=items).only(
        "item_id", "number", "chosen"
    ):
        answers.setdefault(answer.item_id, []).append(answer)
    questionnaire = evaluation.questionnaire
    shared = [
        found
        for item in items
        if (found := _item_summary(item, answers.get(item.pk, []), evaluation.k)) is not None
    ]
    return {
        "title": _both(questionnaire.title_fi, questionnaire.title_en),
        "point": _point_label(evaluation),
        "opened": evaluation.opened_at.date().isoformat(),
        "count": count,
        "k": evaluation.k,
        "items": shared,
    }


def fingerprint(summary: dict[str, Any] | None) -> str:
    """A short digest of a summary: the preview's, compared when sharing."""
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:32]


def share_orderer_summary(*, evaluation: EvaluationRound, previewed: str, actor: User) -> Statement:
    """Share the round's summary with the orderer, exactly as previewed (``previewed`` is the
    preview's fingerprint). Below k, or when answers came in after the preview, nothing is
    shared."""
    with transaction.atomic():
        # One share of a round at a time: a second click shares nothing twice.
        EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
        summary = orderer_summary(evaluation)
        if summary is None:
            raise SharingError(
                _("A summary can be shared once at least %(k)s have answered.")
                % {"k": evaluation.k}
            )
        if fingerprint(summary) != previewed:
            raise SharingError(
                _("The answers changed after your preview. Check the summary again before sharing.")
            )
        if any(fingerprint(shared.summary) == previewed for shared in shared_summaries(evaluation)):
            raise SharingError(_("This summary has already been shared with the orderer."))
        try:
            return release_summary(
                contract=evaluation.contract,
                summary=summary,
                summary_of=evaluation.uuid,
                actor=actor,
            )
        except StatementError as error:
            raise SharingError(error.message) from error


def shared_summaries(evaluation: EvaluationRound) -> list[Statement]:
    """The summaries of this round already shared with the orderer, newest first."""
    return list(
        Statement.objects.filter(contract=evaluation.contract, summary_of=evaluation.uuid).order_by(
            "-released_at", "-id"
        )
    )

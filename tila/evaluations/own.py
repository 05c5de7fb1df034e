"""A supervisee's own answers over time, in the portal.

Only named rounds: an anonymous round keeps no link from an answer to a person, so nobody,
she included, can find her answers there again. Her anonymous rounds are listed only as
answered (``Respondent`` says that she answered, never what)."""

from dataclasses import dataclass, field
from uuid import UUID

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Person
from tila.evaluations.models import Answer, EvaluationRound, ItemKind, Respondent, Response
from tila.keys.sealing import unseal

RESPONSE_TYPE = "evaluations.Response"


@dataclass
class OwnQuestion:
    """One question and her answers to it, oldest first: (round, answer as shown)."""

    text: str
    answers: list[tuple[EvaluationRound, str]] = field(default_factory=list)


@dataclass
class OwnHistory:
    """Her answers to one questionnaire (all its versions), round by round."""

    title: str
    rounds: list[EvaluationRound] = field(default_factory=list)
    questions: list[OwnQuestion] = field(default_factory=list)


def _shown(answer: Answer, evaluation: EvaluationRound) -> str:
    item = answer.item
    if item.is_numeric:
        return "" if answer.number is None else f"{answer.number} / {item.scale[-1]}"
    if item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
        labels = item.choice_labels
        return "; ".join(labels[index] for index in answer.chosen or [] if index < len(labels))
    if not answer.text:
        return ""
    return unseal(evaluation.practice, answer.text, context=answer.context)


def own_answers(person: Person, *, actor: User) -> list[OwnHistory]:
    """Her answers to the named rounds she answered, grouped by questionnaire."""
    responses = (
        Response.objects.filter(
            person=person, round__practice=person.practice, round__anonymous=False
        )
        .select_related("round__practice", "round__questionnaire", "round__contract")
        .prefetch_related("answers__item")
        .order_by("round__opened_at", "round__id")
    )
    histories: dict[UUID, OwnHistory] = {}
    texts = 0
    for response in responses:
        evaluation = response.round
        family = evaluation.questionnaire.family
        history = histories.setdefault(family, OwnHistory(evaluation.questionnaire.title))
        history.title = evaluation.questionnaire.title  # the latest version's
        history.rounds.append(evaluation)
        questions = {question.text: question for question in history.questions}
        answers = sorted(response.answers.all(), key=lambda a: (a.item.section_id, a.item.position))
        for answer in answers:
            shown = _shown(answer, evaluation)
            if not shown:
                continue
            texts += bool(answer.item.is_text)
            question = questions.get(answer.item.text)
            if question is None:
                question = OwnQuestion(answer.item.text)
                questions[question.text] = question
                history.questions.append(question)
            question.answers.append((evaluation, shown))
    if texts:
        record_event(
            actor=actor,
            practice=person.practice,
            object_type=RESPONSE_TYPE,
            object_id=str(person.uuid),
            action=Action.READ,
            detail={"texts": texts, "own": True},
        )
    return list(histories.values())


def anonymous_answered(person: Person) -> list[EvaluationRound]:
    """The anonymous rounds she answered: only that she did."""
    return [
        respondent.round
        for respondent in Respondent.objects.filter(
            person=person, round__practice=person.practice, round__anonymous=True
        )
        .select_related("round__questionnaire", "round__contract")
        .order_by("-round__opened_at")
    ]

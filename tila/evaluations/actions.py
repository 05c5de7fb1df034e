"""Questionnaires, rounds and answers. Every write is audited; answers never by their id in an
anonymous round (the log names the round only)."""

import copy
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action, ActorRole
from tila.clients.models import Person
from tila.contracts.models import Contract
from tila.evaluations.measures import GOAL_ATTAINMENT, MEASURES, Measure, goal_attainment
from tila.evaluations.models import (
    Answer,
    EvaluationRound,
    Item,
    ItemKind,
    Point,
    Questionnaire,
    Respondent,
    Response,
    Section,
)
from tila.evaluations.tasks import invite_to_round
from tila.keys.sealing import seal
from tila.meetings.models import Meeting
from tila.practices.models import Practice

ROUND_TYPE = "evaluations.EvaluationRound"


class EvaluationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _random() -> secrets.SystemRandom:
    return secrets.SystemRandom()


def create_questionnaire(
    practice: Practice,
    data: Measure,
    *,
    measure: str = "",
    family: Any = None,
    version: int = 1,
    contract: Contract | None = None,
) -> Questionnaire:
    """A questionnaire from data in the form of ``tila.evaluations.measures``."""
    with transaction.atomic():
        questionnaire = Questionnaire(
            practice=practice,
            contract=contract,
            measure=measure,
            version=version,
            title_fi=data["title_fi"],
            title_en=data.get("title_en", ""),
            intro_fi=data.get("intro_fi", ""),
            intro_en=data.get("intro_en", ""),
        )
        if family is not None:
            questionnaire.family = family
        questionnaire.save()
        _create_sections(questionnaire, data)
    return questionnaire


def _create_sections(questionnaire: Questionnaire, data: Measure) -> None:
    for number, section_data in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            position=number,
            title_fi=section_data.get("title_fi", ""),
            title_en=section_data.get("title_en", ""),
        )
        for position, item in enumerate(section_data["items"], start=1):
            kind = item["kind"]
            Item.objects.create(
                section=section,
                position=position,
                kind=kind,
                text_fi=item["fi"],
                text_en=item.get("en", ""),
                low_label_fi=item.get("low_fi", ""),
                low_label_en=item.get("low_en", ""),
                high_label_fi=item.get("high_fi", ""),
                high_label_en=item.get("high_en", ""),
                choices=item.get("choices", []),
                required=item.get(
                    "required", kind not in (ItemKind.SHORT_TEXT, ItemKind.LONG_TEXT)
                ),
                goal_id=item.get("goal"),
            )


def questionnaire_data(questionnaire: Questionnaire) -> Measure:
    """The questionnaire as data (for a copy or a new version)."""
    return {
        "title_fi": questionnaire.title_fi,
        "title_en": questionnaire.title_en,
        "intro_fi": questionnaire.intro_fi,
        "intro_en": questionnaire.intro_en,
        "sections": [
            {
                "title_fi": section.title_fi,
                "title_en": section.title_en,
                "items": [
                    {
                        "kind": item.kind,
                        "fi": item.text_fi,
                        "en": item.text_en,
                        "low_fi": item.low_label_fi,
                        "low_en": item.low_label_en,
                        "high_fi": item.high_label_fi,
                        "high_en": item.high_label_en,
                        "choices": item.choices,
                        "required": item.required,
                        "goal": item.goal_id,
                    }
                    for item in section.items.order_by("position")
                ],
            }
            for section in questionnaire.sections.order_by("position")
        ],
    }


def latest_version(questionnaire: Questionnaire) -> Questionnaire:
    return (
        Questionnaire.objects.filter(practice=questionnaire.practice, family=questionnaire.family)
        .order_by("-version")
        .first()
        or questionnaire
    )


def has_answers(questionnaire: Questionnaire) -> bool:
    return Response.objects.filter(round__questionnaire=questionnaire).exists()


def editable_version(questionnaire: Questionnaire) -> Questionnaire:
    """The version to change: this one while nobody has answered it, else a new version
    (a copy, numbered after the family's latest), so that earlier answers keep their
    questions."""
    if not has_answers(questionnaire):
        return questionnaire
    latest = latest_version(questionnaire)
    if latest.pk != questionnaire.pk and not has_answers(latest):
        return latest
    return create_questionnaire(
        questionnaire.practice,
        questionnaire_data(questionnaire),
        measure=questionnaire.measure,
        family=questionnaire.family,
        version=latest.version + 1,
        contract=questionnaire.contract,
    )


QUESTIONNAIRE_TYPE = "evaluations.Questionnaire"
# Added to a copied measure's titles, so that the copy is told apart from Tila's own.
COPY_SUFFIX = {"fi": " (oma muokkaus)", "en": " (my version)"}


def own_questionnaires(practice: Practice) -> list[Questionnaire]:
    """The latest version of each questionnaire the practice made itself, by title."""
    latest: dict[Any, Questionnaire] = {}
    for questionnaire in Questionnaire.objects.filter(
        practice=practice, measure="", contract=None
    ).order_by("version"):
        latest[questionnaire.family] = questionnaire
    return sorted(latest.values(), key=lambda found: found.title_fi.casefold())


def save_questionnaire(
    practice: Practice, data: Measure, *, actor: User, questionnaire: Questionnaire | None = None
) -> Questionnaire:
    """A new questionnaire of the practice's own, or a change to one. A version that has
    answers is never changed: the change goes into the next version (``editable_version``)."""
    with transaction.atomic():
        if questionnaire is None:
            saved = create_questionnaire(practice, data)
            action = Action.CREATE
        else:
            locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
            saved = editable_version(locked)
            for name in ("title_fi", "title_en", "intro_fi", "intro_en"):
                setattr(saved, name, data.get(name, ""))
            saved.save()
            saved.sections.all().delete()
            _create_sections(saved, data)
            action = Action.UPDATE
        record_event(
            actor=actor,
            practice=practice,
            object_type=QUESTIONNAIRE_TYPE,
            object_id=saved.uuid,
            action=action,
            detail={"version": saved.version},
        )
    return saved


def copy_measure(practice: Practice, measure: str, *, actor: User) -> Questionnaire:
    """The practice's own copy of one of Tila's measures, to adapt."""
    data = copy.deepcopy(MEASURES[measure])
    data["title_fi"] += COPY_SUFFIX["fi"]
    data["title_en"] += COPY_SUFFIX["en"]
    return save_questionnaire(practice, data, actor=actor)


def measure_questionnaire(practice: Practice, measure: str) -> Questionnaire:
    """The practice's latest version of a built-in measure, made on first use."""
    found = (
        Questionnaire.objects.filter(practice=practice, measure=measure, contract=None)
        .order_by("-version")
        .first()
    )
    if found is not None:
        return found
    return create_questionnaire(practice, MEASURES[measure], measure=measure)


def goal_questionnaire(contract: Contract) -> Questionnaire | None:
    """The goal attainment questionnaire of the contract's current goals: one 0–10 item per
    goal. The latest one is kept while the goals are the same; changed goals make a new
    version. None when the contract has no goals."""
    goals = [(goal.pk, goal.text) for goal in contract.goals.order_by("position", "id")]
    if not goals:
        return None
    latest = (
        Questionnaire.objects.filter(contract=contract, measure=GOAL_ATTAINMENT)
        .order_by("-version")
        .first()
    )
    if latest is not None:
        asked = [
            (item.goal_id, item.text_fi)
            for item in Item.objects.filter(section__questionnaire=latest).order_by(
                "section__position", "position"
            )
        ]
        if asked == goals:
            return latest
    return create_questionnaire(
        contract.practice,
        goal_attainment(goals),
        measure=GOAL_ATTAINMENT,
        contract=contract,
        family=latest.family if latest else None,
        version=latest.version + 1 if latest else 1,
    )


def questionnaire_for(contract: Contract, measure: str) -> Questionnaire | None:
    """The questionnaire of a built-in measure for the contract (None: no goals to ask)."""
    if measure == GOAL_ATTAINMENT:
        return goal_questionnaire(contract)
    return measure_questionnaire(contract.practice, measure)


def open_round(
    *,
    contract: Contract,
    questionnaire: Questionnaire,
    anonymous: bool,
    k: int,
    actor: User | None,
    point: str = Point.MANUAL,
    meeting: Meeting | None = None,
) -> EvaluationRound:
    """Open a round and queue its invitations (``tila.evaluations.tasks``). A scheduled point
    or a meeting's feedback opens once: a second try raises ``IntegrityError``."""
    if questionnaire.practice_id != contract.practice_id:
        raise EvaluationError(_("The questionnaire is not this practice's."))
    if questionnaire.contract_id not in (None, contract.pk):
        raise EvaluationError(_("The questionnaire is not this contract's."))
    if not 3 <= k <= 50:
        raise EvaluationError(_("Results can be shown from 3 to 50 answers."))
    with transaction.atomic():
        evaluation = EvaluationRound.objects.create(
            practice=contract.practice,
            contract=contract,
            questionnaire=questionnaire,
            anonymous=anonymous,
            k=k,
            opened_by=actor,
            point=point,
            measure=questionnaire.measure,
            meeting=meeting,
        )
        invite_to_round.enqueue(str(evaluation.uuid))
        record_event(
            actor=actor,
            practice=contract.practice,
            object_type=ROUND_TYPE,
            object_id=evaluation.uuid,
            action=Action.CREATE,
            detail={"anonymous": anonymous, "k": k, "point": point},
        )
    return evaluation


def close_round(*, evaluation: EvaluationRound, actor: User) -> EvaluationRound:
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
        if locked.closed_at is None:
            locked.closed_at = timezone.now()
            locked.save(update_fields=["closed_at"])
            record_event(
                actor=actor,
                practice=locked.practice,
                object_type=ROUND_TYPE,
                object_id=locked.uuid,
                action=Action.UPDATE,
                detail={"closed": True},
            )
    return locked


def has_answered(evaluation: EvaluationRound, person: Person) -> bool:
    return Respondent.objects.filter(round=evaluation, person=person).exists()


def _shuffle_responses(evaluation: EvaluationRound) -> None:
    """Write the round's responses and answers again, in a random order, so that the order of
    rows (and of the table's internal row numbers) does not tell who answered when."""
    responses = list(Response.objects.filter(round=evaluation))
    answers = list(Answer.objects.filter(response__round=evaluation))
    Response.objects.filter(round=evaluation).delete()
    shuffle = _random().shuffle
    shuffle(responses)
    shuffle(answers)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)


def submit_answers(
    *, evaluation: EvaluationRound, person: Person, actor: User | None, values: dict[Item, Any]
) -> None:
    """Save the person's answers: numbers, lists of chosen indexes, or text (sealed).

    The caller has checked that the person may answer (``tila.evaluations.access``). A second
    submission is refused by the database (``Respondent``) and reported as an error."""
    try:
        with transaction.atomic():
            locked = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
            if not locked.is_open:
                raise EvaluationError(_("This evaluation has closed."))
            Respondent.objects.create(round=locked, person=person)
            response = Response.objects.create(
                round=locked, person=None if locked.anonymous else person
            )
            for item, value in values.items():
                answer = Answer(response=response, item=item)
                if item.is_numeric:
                    if value is None:
                        continue
                    answer.number = int(value)
                elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
                    if not value:
                        continue
                    answer.chosen = sorted(int(index) for index in value)
                else:
                    if not value:
                        continue
                    answer.text = seal(locked.practice, value, context=answer.context)
                answer.save()
            if locked.anonymous:
                _shuffle_responses(locked)
            record_event(
                actor=actor,
                practice=locked.practice,
                object_type=ROUND_TYPE,
                object_id=locked.uuid,
                action=Action.CREATE,
                detail={"answered": True},
                role=ActorRole.SUPERVISEE,
            )
    except IntegrityError as error:
        raise EvaluationError(
            _("You have already answered this evaluation. An answer can be given only once.")
        ) from error

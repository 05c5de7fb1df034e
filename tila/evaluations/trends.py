"""Results across the process, and per person in named rounds.

Session feedback over time and the baseline against the final measurement are group means, so
each round counts only from its own k answers: a round with fewer gives no point and no bar.
Per-person results exist only in named rounds; an anonymous round has none to give."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.contracts.models import Contract
from tila.evaluations.actions import ROUND_TYPE
from tila.evaluations.models import (
    CHOICE_KINDS,
    Answer,
    EvaluationRound,
    Item,
    ItemKind,
    Point,
    Response,
)
from tila.evaluations.results import answer_count
from tila.keys.sealing import unseal
from tila.lib.formatting import decimal_fi


def _day(evaluation: EvaluationRound) -> date:
    moment = evaluation.meeting.start if evaluation.meeting else evaluation.opened_at
    return timezone.localtime(moment).date()


def _label(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _means(evaluation: EvaluationRound, kinds: tuple[str, ...]) -> dict[str, list[int]]:
    """The numbers answered to each numeric item of the round, by the item's text."""
    numbers: dict[str, list[int]] = {}
    for text, number in Answer.objects.filter(
        response__round=evaluation, item__kind__in=kinds, number__isnull=False
    ).values_list("item__text_fi", "number"):
        numbers.setdefault(text, []).append(number or 0)
    return numbers


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _questions(evaluations: list[EvaluationRound], kinds: tuple[str, ...]) -> dict[str, Item]:
    """The numeric questions asked in the rounds, by their Finnish text (which the answers
    are matched by across versions), in the order first asked."""
    found: dict[str, Item] = {}
    for evaluation in evaluations:
        for item in Item.objects.filter(
            section__questionnaire=evaluation.questionnaire, kind__in=kinds
        ).order_by("section__position", "position"):
            found.setdefault(item.text_fi, item)
    return found


@dataclass(frozen=True)
class TrendPoint:
    """One round of session feedback: the overall mean, or None below the round's k."""

    label: str
    count: int
    k: int
    mean: float | None
    item_means: list[float | None]
    x: int
    y: int


@dataclass
class SessionTrend:
    """Session feedback after each meeting: the mean of all 0–10 answers of each round."""

    points: list[TrendPoint]
    questions: list[Item]

    WIDTH = 480
    HEIGHT = 190
    LEFT = 50
    RIGHT = 45
    TOP = 16
    BASE = 150

    @property
    def shown(self) -> list[TrendPoint]:
        return [point for point in self.points if point.mean is not None]

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.shown)

    @property
    def grid(self) -> list[tuple[int, int]]:
        return [(value, _y(value, 10, self)) for value in (0, 5, 10)]

    @property
    def description(self) -> str:
        parts = "; ".join(
            f"{point.label}: "
            + (
                _("%(mean)s from %(count)s answers")
                % {"mean": decimal_fi(point.mean), "count": point.count}
                if point.mean is not None
                else _("fewer than %(k)s answers, not shown") % {"k": point.k}
            )
            for point in self.points
        )
        return _("Mean of the answers on 0–10 after each meeting. %(parts)s.") % {"parts": parts}


def _y(value: float, high: int, chart: "SessionTrend | BaselineChange") -> int:
    return round(chart.BASE - (chart.BASE - chart.TOP) * value / high)


def session_trend(contract: Contract) -> SessionTrend | None:
    """None while the contract has no session feedback rounds."""
    kinds = (ItemKind.SCALE_10,)
    evaluations = sorted(
        EvaluationRound.objects.filter(
            contract=contract, measure="session_feedback"
        ).select_related("meeting", "questionnaire"),
        key=lambda evaluation: (_day(evaluation), evaluation.opened_at),
    )
    if not evaluations:
        return None
    questions = list(_questions(evaluations, kinds).values())
    step = (SessionTrend.WIDTH - SessionTrend.LEFT - SessionTrend.RIGHT) // max(
        len(evaluations) - 1, 1
    )
    trend = SessionTrend([], questions)
    for index, evaluation in enumerate(evaluations):
        count = answer_count(evaluation)
        numbers = _means(evaluation, kinds) if count >= evaluation.k else {}
        mean = _mean([number for values in numbers.values() for number in values])
        trend.points.append(
            TrendPoint(
                label=_label(_day(evaluation)),
                count=count,
                k=evaluation.k,
                mean=mean,
                item_means=[_mean(numbers.get(item.text_fi, [])) for item in questions],
                x=SessionTrend.LEFT + index * step,
                y=_y(mean or 0, 10, trend),
            )
        )
    return trend


@dataclass(frozen=True)
class Bar:
    mean: float | None
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class ChangeItem:
    """One question of the baseline: the group's mean at the start and at the end."""

    number: int
    text: str
    high: int
    start: Bar
    end: Bar
    center: int


@dataclass
class BaselineChange:
    """The baseline questionnaire at the start against the same at the end."""

    items: list[ChangeItem]
    start: EvaluationRound
    end: EvaluationRound | None
    start_count: int
    end_count: int

    WIDTH = 480
    HEIGHT = 190
    LEFT = 8
    TOP = 20
    BASE = 150
    BAR = 18

    @property
    def start_shown(self) -> bool:
        return self.start_count >= self.start.k

    @property
    def end_shown(self) -> bool:
        return self.end is not None and self.end_count >= self.end.k

    @property
    def description(self) -> str:
        def shown(bar: Bar) -> str:
            return decimal_fi(bar.mean) if bar.mean is not None else "–"

        parts = "; ".join(
            _("%(number)s. %(text)s: at the start %(start)s, at the end %(end)s")
            % {
                "number": item.number,
                "text": item.text,
                "start": shown(item.start),
                "end": shown(item.end),
            }
            for item in self.items
        )
        return _("Group means at the start and at the end. %(parts)s.") % {"parts": parts}


def _baseline_rounds(contract: Contract) -> tuple[EvaluationRound | None, EvaluationRound | None]:
    """The baseline rounds: the one of the start point, else the first; the one of the final
    point, else the last other one."""
    evaluations = list(
        EvaluationRound.objects.filter(contract=contract, measure="baseline")
        .select_related("questionnaire")
        .order_by("opened_at")
    )
    if not evaluations:
        return None, None
    by_point = {evaluation.point: evaluation for evaluation in evaluations}
    start = by_point.get(Point.START, evaluations[0])
    end = by_point.get(Point.FINAL)
    if end is None and evaluations[-1].pk != start.pk:
        end = evaluations[-1]
    return start, end


def baseline_change(contract: Contract) -> BaselineChange | None:
    """None while the contract has no baseline round."""
    start, end = _baseline_rounds(contract)
    if start is None:
        return None
    kinds = (ItemKind.SCALE_10, ItemKind.AGREE_5)
    asked = [start] + ([end] if end else [])
    counts = [answer_count(evaluation) for evaluation in asked] + [0]
    numbers = [
        _means(evaluation, kinds) if count >= evaluation.k else {}
        for evaluation, count in zip(asked, counts, strict=False)
    ] + [{}]
    change = BaselineChange([], start, end, counts[0], counts[1])
    questions = list(_questions(asked, kinds).values())
    group = (BaselineChange.WIDTH - BaselineChange.LEFT) // max(len(questions), 1)
    for index, item in enumerate(questions):
        center = BaselineChange.LEFT + index * group + group // 2
        bars = []
        for offset, found in ((-BaselineChange.BAR - 1, numbers[0]), (1, numbers[1])):
            mean = _mean(found.get(item.text_fi, []))
            y = _y(mean or 0, item.scale[-1], change)
            bars.append(Bar(mean, center + offset, y, BaselineChange.BASE - y))
        change.items.append(
            ChangeItem(index + 1, item.text, item.scale[-1], bars[0], bars[1], center)
        )
    return change


@dataclass
class PersonResult:
    name: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def _shown(answer: Answer, evaluation: EvaluationRound) -> str:
    item = answer.item
    if item.is_numeric:
        return str(answer.number)
    if item.kind in CHOICE_KINDS:
        labels = item.choice_labels
        return "; ".join(labels[index] for index in answer.chosen or [] if index < len(labels))
    return unseal(evaluation.practice, answer.text, context=answer.context) if answer.text else ""


def person_results(evaluation: EvaluationRound, *, actor: User) -> list[PersonResult]:
    """Each person's answers in a named round, by name. Nothing in an anonymous round."""
    if evaluation.anonymous:
        return []
    items = list(
        Item.objects.filter(section__questionnaire=evaluation.questionnaire).order_by(
            "section__position", "position"
        )
    )
    results = []
    texts = 0
    for response in (
        Response.objects.filter(round=evaluation, person__isnull=False)
        .select_related("person")
        .prefetch_related("answers__item")
    ):
        by_item = {answer.item_id: answer for answer in response.answers.all()}
        texts += sum(1 for answer in by_item.values() if answer.item.is_text and answer.text)
        result = PersonResult(response.person.name if response.person else "")
        result.rows = [
            (item.text, _shown(by_item[item.pk], evaluation) if item.pk in by_item else "–")
            for item in items
        ]
        results.append(result)
    if texts:
        record_event(
            actor=actor,
            practice=evaluation.practice,
            object_type=ROUND_TYPE,
            object_id=evaluation.uuid,
            action=Action.READ,
            detail={"texts": texts, "per_person": True},
        )
    return sorted(results, key=lambda result: result.name.casefold())

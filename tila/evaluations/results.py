"""A round's results: group aggregates, charts and CSV, only from k answers.

Every output (page, chart, CSV) is built from ``round_results``, which returns no results at
all below the round's threshold: there is nothing else to leak."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.contracts.models import Contract, Goal
from tila.evaluations.actions import ROUND_TYPE, _random
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import (
    SCHEDULED_POINTS,
    Answer,
    EvaluationRound,
    Item,
    ItemKind,
    Point,
    Response,
)
from tila.keys.sealing import unseal

# Cells a spreadsheet would read as a formula start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a distribution chart."""

    value: int
    count: int
    x: int
    y: int
    height: int
    center: int


@dataclass
class ItemResult:
    item: Item
    count: int = 0
    mean: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)
    choice_counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self) -> "Chart | None":
        return Chart.of(self) if self.item.is_numeric and self.count else None


@dataclass(frozen=True)
class Chart:
    """Geometry of one item's distribution chart (viewBox 0 0 WIDTH HEIGHT)."""

    WIDTH = 320
    HEIGHT = 150
    BASE = 112  # the baseline of the columns
    TOP = 24  # the highest a column reaches

    columns: list[Column]
    column_width: int
    mean_x: int
    mean: float
    count: int
    low: int
    high: int

    @property
    def mean_label_x(self) -> int:
        """The mean's label under its line, kept inside the chart at either end."""
        return min(max(self.mean_x, 50), self.WIDTH - 50)

    @classmethod
    def of(cls, result: ItemResult) -> "Chart":
        values = list(result.item.scale)
        step = cls.WIDTH // len(values)
        tallest = max(count for _, count in result.distribution) or 1
        columns = []
        for index, (value, count) in enumerate(result.distribution):
            height = round((cls.BASE - cls.TOP) * count / tallest)
            x = index * step + 2
            columns.append(Column(value, count, x, cls.BASE - height, height, x + (step - 4) // 2))
        mean = result.mean or 0.0
        mean_x = round((mean - values[0]) * step + step / 2)
        return cls(columns, step - 4, mean_x, mean, result.count, values[0], values[-1])


@dataclass
class RoundResults:
    evaluation: EvaluationRound
    count: int
    items: list[ItemResult]

    @property
    def visible(self) -> bool:
        return bool(self.items)


def answer_count(evaluation: EvaluationRound) -> int:
    return Response.objects.filter(round=evaluation).count()


def _items(evaluation: EvaluationRound) -> list[Item]:
    return list(
        Item.objects.filter(section__questionnaire=evaluation.questionnaire).order_by(
            "section__position", "position"
        )
    )


def round_results(evaluation: EvaluationRound, *, actor: User) -> RoundResults:
    """The aggregates of each item; free texts opened and shuffled. Below k: no items."""
    count = answer_count(evaluation)
    if count < evaluation.k:
        return RoundResults(evaluation, count, [])
    answers_by_item: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__round=evaluation):
        answers_by_item.setdefault(answer.item_id, []).append(answer)
    results = []
    texts_read = 0
    for item in _items(evaluation):
        answers = answers_by_item.get(item.pk, [])
        result = ItemResult(item=item, count=len(answers))
        if item.is_numeric:
            numbers = [answer.number for answer in answers if answer.number is not None]
            result.count = len(numbers)
            result.mean = sum(numbers) / len(numbers) if numbers else None
            result.distribution = [(value, numbers.count(value)) for value in item.scale]
        elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
            result.choice_counts = [
                (label, sum(1 for answer in answers if index in (answer.chosen or [])))
                for index, label in enumerate(item.choice_labels)
            ]
        else:
            texts = [
                unseal(evaluation.practice, answer.text, context=answer.context)
                for answer in answers
                if answer.text
            ]
            _random().shuffle(texts)
            result.texts = texts
            texts_read += len(texts)
        results.append(result)
    if texts_read:
        record_event(
            actor=actor,
            practice=evaluation.practice,
            object_type=ROUND_TYPE,
            object_id=evaluation.uuid,
            action=Action.READ,
            detail={"texts": texts_read},
        )
    return RoundResults(evaluation, count, results)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def results_csv(evaluation: EvaluationRound, *, actor: User) -> str | None:
    """One row per response, in random order, without anyone's name or any id; None below k."""
    if answer_count(evaluation) < evaluation.k:
        return None
    items = _items(evaluation)
    responses = list(Response.objects.filter(round=evaluation).prefetch_related("answers"))
    _random().shuffle(responses)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(item.text) for item in items])
    for response in responses:
        by_item = {answer.item_id: answer for answer in response.answers.all()}
        row = []
        for item in items:
            answer = by_item.get(item.pk)
            if answer is None:
                row.append("")
            elif item.is_numeric:
                row.append(str(answer.number))
            elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
                labels = item.choice_labels
                row.append("; ".join(labels[index] for index in answer.chosen or []))
            else:
                text = unseal(evaluation.practice, answer.text, context=answer.context)
                row.append(text)
        writer.writerow([neutralise(cell) for cell in row])
    record_event(
        actor=actor,
        practice=evaluation.practice,
        object_type=ROUND_TYPE,
        object_id=evaluation.uuid,
        action=Action.EXPORT,
        detail={"rows": len(responses)},
    )
    return out.getvalue()


def chart_description(result: ItemResult) -> str:
    """The chart in words, for screen readers (the SVG's desc)."""
    parts = ", ".join(
        _("%(value)s: %(count)s") % {"value": value, "count": count}
        for value, count in result.distribution
    )
    return _(
        "Mean %(mean)s on a scale of %(low)s–%(high)s from %(count)s answers. "
        "Answers per value: %(parts)s."
    ) % {
        "mean": f"{result.mean or 0:.1f}".replace(".", ","),
        "low": result.item.scale[0],
        "high": result.item.scale[-1],
        "count": result.count,
        "parts": parts,
    }


@dataclass(frozen=True)
class GoalPoint:
    """One point of a goal's trend: the group's mean, or None (no round, or fewer than k)."""

    label: str
    mean: float | None
    count: int
    x: int = 0
    y: int = 0
    height: int = 0


@dataclass
class GoalTrend:
    """A goal's attainment at the start, the interim and the end."""

    goal: Goal
    points: list[GoalPoint]
    people: list[tuple[str, list[int | None]]] = field(default_factory=list)

    WIDTH = 480
    HEIGHT = 150
    BASE = 112
    TOP = 20

    @property
    def description(self) -> str:
        parts = "; ".join(
            f"{point.label}: "
            + (f"{point.mean:.1f}".replace(".", ",") if point.mean is not None else "–")
            for point in self.points
        )
        return _("Mean on a scale of 0–10 at each point. %(parts)s.") % {"parts": parts}


def _placed(label: str, mean: float | None, count: int, index: int) -> GoalPoint:
    step = GoalTrend.WIDTH // 3
    height = round((GoalTrend.BASE - GoalTrend.TOP) * (mean or 0) / 10)
    return GoalPoint(label, mean, count, index * step + 40, GoalTrend.BASE - height, height)


def goal_trends(contract: Contract) -> list[GoalTrend]:
    """Each goal of the contract from start to interim to end. A group mean only from a round
    with at least k answers; the per-person values only from named rounds."""
    rounds = {
        evaluation.point: evaluation
        for evaluation in EvaluationRound.objects.filter(
            contract=contract, measure=GOAL_ATTAINMENT, point__in=SCHEDULED_POINTS
        )
    }
    numbers: dict[tuple[str, int], list[Answer]] = {}
    for point, evaluation in rounds.items():
        if answer_count(evaluation) < evaluation.k and evaluation.anonymous:
            continue
        for answer in Answer.objects.filter(
            response__round=evaluation, item__goal__isnull=False, number__isnull=False
        ).select_related("item", "response__person"):
            if answer.item.goal_id is not None:
                numbers.setdefault((point, answer.item.goal_id), []).append(answer)
    trends = []
    for goal in contract.goals.order_by("position", "id"):
        points = []
        people: dict[str, list[int | None]] = {}
        for index, point in enumerate(SCHEDULED_POINTS):
            answers = numbers.get((point, goal.pk), [])
            asked = rounds.get(point)
            shown = asked is not None and answer_count(asked) >= asked.k
            values = [answer.number for answer in answers if answer.number is not None]
            mean = sum(values) / len(values) if shown and values else None
            points.append(
                _placed(str(Point(point).label), mean, len(values) if shown else 0, index)
            )
            for answer in answers:
                if answer.response.person is not None:
                    row = people.setdefault(answer.response.person.name, [None, None, None])
                    row[index] = answer.number
        trends.append(GoalTrend(goal, points, sorted(people.items())))
    return trends

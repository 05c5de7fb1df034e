"""Reading a released summary of group results: the frozen aggregates a statement carries.

A summary is plain data, written once when the supervisor shares it (``tila.evaluations.sharing``
makes it) and never recomputed: questions in Finnish and English, the number of answers and,
for each question, the mean and how many gave each value, or how many chose each choice. It
holds no free text and no question with fewer answers than the round's threshold.

    {"title": {"fi": ..., "en": ...}, "point": {"fi": ..., "en": ...}, "opened": "2026-11-15",
     "count": 4, "k": 3,
     "items": [{"kind": "scale10", "text": {...}, "low": {...}, "high": {...},
                "count": 4, "mean": 7.25, "values": [[0, 0], [1, 0], ...]},
               {"kind": "single", "text": {...}, "count": 4, "values": [[{...}, 3], ...]}]}
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tila.lib.formatting import decimal_fi

NUMERIC = ("scale10", "agree5")


def in_language(texts: Any) -> str:
    """The Finnish text, or the English one when English is in use and there is one."""
    if not isinstance(texts, dict):
        return ""
    english = str(texts.get("en") or "")
    if (get_language() or "fi").startswith("en") and english:
        return english
    return str(texts.get("fi") or "")


@dataclass(frozen=True)
class Column:
    value: int
    count: int
    x: int
    y: int
    height: int
    center: int


@dataclass
class SummaryItem:
    """One question of a summary, ready for the page: a chart's geometry for a scale."""

    WIDTH = 320
    HEIGHT = 150
    BASE = 112
    TOP = 24

    text: str
    numeric: bool
    count: int
    mean: float | None = None
    low_label: str = ""
    high_label: str = ""
    values: list[tuple[str, int]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    column_width: int = 0
    mean_x: int = 0

    @property
    def mean_label_x(self) -> int:
        return min(max(self.mean_x, 50), self.WIDTH - 50)

    @property
    def low(self) -> str:
        return self.values[0][0] if self.values else ""

    @property
    def high(self) -> str:
        return self.values[-1][0] if self.values else ""

    @property
    def description(self) -> str:
        """The chart in words, for screen readers."""
        parts = ", ".join(f"{value}: {count}" for value, count in self.values)
        return _(
            "Mean %(mean)s on a scale of %(low)s–%(high)s from %(count)s answers. "
            "Answers per value: %(parts)s."
        ) % {
            "mean": decimal_fi(self.mean or 0, 1),
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "parts": parts,
        }


def _numeric(raw: dict[str, Any]) -> SummaryItem:
    pairs = [(int(value), int(count)) for value, count in raw.get("values", [])]
    item = SummaryItem(
        text=in_language(raw.get("text")),
        numeric=True,
        count=int(raw.get("count", 0)),
        mean=float(raw["mean"]) if raw.get("mean") is not None else None,
        low_label=in_language(raw.get("low")),
        high_label=in_language(raw.get("high")),
        values=[(str(value), count) for value, count in pairs],
    )
    if not pairs:
        return item
    step = SummaryItem.WIDTH // len(pairs)
    tallest = max(count for _, count in pairs) or 1
    for index, (value, count) in enumerate(pairs):
        height = round((SummaryItem.BASE - SummaryItem.TOP) * count / tallest)
        x = index * step + 2
        item.columns.append(
            Column(value, count, x, SummaryItem.BASE - height, height, x + (step - 4) // 2)
        )
    item.column_width = step - 4
    item.mean_x = round(((item.mean or 0) - pairs[0][0]) * step + step / 2)
    return item


def _choices(raw: dict[str, Any]) -> SummaryItem:
    return SummaryItem(
        text=in_language(raw.get("text")),
        numeric=False,
        count=int(raw.get("count", 0)),
        values=[(in_language(label), int(count)) for label, count in raw.get("values", [])],
    )


@dataclass
class SharedSummary:
    """A released summary in the reader's language."""

    title: str
    point: str
    opened: date | None
    count: int
    k: int
    items: list[SummaryItem]


def read_summary(raw: Any) -> SharedSummary | None:
    """The summary a statement carries, or None when it carries none."""
    if not isinstance(raw, dict):
        return None
    opened = raw.get("opened")
    return SharedSummary(
        title=in_language(raw.get("title")),
        point=in_language(raw.get("point")),
        opened=date.fromisoformat(opened) if isinstance(opened, str) and opened else None,
        count=int(raw.get("count", 0)),
        k=int(raw.get("k", 0)),
        items=[
            _numeric(item) if item.get("kind") in NUMERIC else _choices(item)
            for item in raw.get("items", [])
            if isinstance(item, dict)
        ],
    )

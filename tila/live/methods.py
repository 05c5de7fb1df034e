"""The methods of live exercises: what an answer may be, and what the group's result is.

Answers arrive as untrusted JSON from a participant's socket; ``parse_answer`` accepts only
the exact shape a method's form sends and raises ``AnswerError`` for anything else. Results are
aggregates; a result exists only when at least k answers do (``result_visible``)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from tila.live.decks import STRENGTHS, Card, Deck, find_deck, words_for
from tila.live.models import Method, Run, State

SCALE = range(0, 11)
LINE = range(0, 101)
MAX_WORDS = 3
DEFAULT_ENDS = (_("Not at all"), _("Completely"))


class AnswerError(ValueError):
    """The message is not an answer this run accepts."""


@dataclass(frozen=True)
class MethodInfo:
    name: StrPromise
    for_supervisor: StrPromise
    for_participants: StrPromise
    default_prompt: StrPromise


INFO: dict[str, MethodInfo] = {
    Method.SCALE: MethodInfo(
        _("Scale"),
        _(
            "Everyone places themselves on a scale from 0 to 10. Ask afterwards what one "
            "step up would look like, and what already keeps the number where it is."
        ),
        _("Choose the number that fits you now. Nobody sees your own answer."),
        _("Where is the team now, on a scale from 0 to 10?"),
    ),
    Method.CARDS: MethodInfo(
        _("Cards"),
        _(
            "Each picks one card privately; all cards are revealed at once, without names. "
            "Then each may say why they chose theirs. Use cards when they serve the work, "
            "not by routine."
        ),
        _("Pick the card that speaks to you. The cards are shown together, without names."),
        _("Pick a card that describes your work right now."),
    ),
    Method.EMOTION: MethodInfo(
        _("Emotion check-in"),
        _(
            "Each picks one to three emotion words and how strong the feeling is. The group "
            "sees how often each word was chosen, never who chose it."
        ),
        _("Pick one to three words and how strong the feeling is."),
        _("How are you arriving at this meeting?"),
    ),
    Method.LINEUP: MethodInfo(
        _("Line-up"),
        _(
            "A line with two labelled ends. Each places their token where they stand; the "
            "group sees the spread. Ask what the ends would look like, and what moves one "
            "along the line."
        ),
        _("Move your token to where you stand on the line, then send."),
        _("Where do you stand on this?"),
    ),
    Method.STRENGTHS: MethodInfo(
        _("Strengths"),
        _(
            "Each gives strength words to themselves and to colleagues by name. Each person "
            "sees only the strengths they received; you see how often each strength was "
            "given, never who gave what."
        ),
        _(
            "Choose a colleague (or yourself) and one to three strengths you see in them. "
            "You can give to as many as you like. Nobody sees who gave what."
        ),
        _("What strengths do you see in each other?"),
    ),
    Method.BOARD: MethodInfo(
        _("Board"),
        _(
            "Each writes notes privately first and posts them when ready; the board is shown "
            "when enough people have posted. You can move notes between areas and group them; "
            "then everyone may give a few dots to the notes that matter most to them. The "
            "layouts: a free wall, a four-field with your own labels, resource rings (me, team, "
            "organisation, outside) and a timeline with highs and lows."
        ),
        _("Write your notes first: only you see them. Post them to the board when you are ready."),
        _("What is on your mind about our work right now?"),
    ),
    Method.TURNS: MethodInfo(
        _("Round"),
        _(
            "Everyone speaks in turn, in an order you set or draw, each with the same time "
            "shown on the shared screen and the phones. With a reflecting team the screen also "
            "shows the phase: the case is told, the team reflects while the case owner only "
            "listens, and the case owner answers."
        ),
        _("Follow the speaking order and the speaking time here."),
        _("A round: how are you, and what would you like to take up today?"),
    ),
}


# Ready questions the supervisor may pick instead of writing her own, resource-oriented as the
# methods are: the step up a scale, exceptions and the miracle question on a board.
READY_QUESTIONS: dict[str, tuple[StrPromise, ...]] = {
    Method.SCALE: (
        _("How close are we to our goal now, on a scale from 0 to 10?"),
        _("How well are you coping at work right now, on a scale from 0 to 10?"),
        _("How confident are you that we will find a way through this, from 0 to 10?"),
    ),
    Method.CARDS: (
        _("Pick a card that describes our team right now."),
        _("Pick a card that describes your hope for this meeting."),
        _("Pick a card that tells what you take with you from here."),
    ),
    Method.EMOTION: (
        _("What do you feel when you think of the past weeks at work?"),
        _("How are you leaving this meeting?"),
    ),
    Method.LINEUP: (
        _("How much does the change touch your own work?"),
        _("How clear is your own role in the team?"),
    ),
    Method.STRENGTHS: (
        _("What strengths have you seen in each other in the past months?"),
        _("Which strengths have carried the team through a hard time?"),
    ),
    Method.BOARD: (
        _(
            "The miracle question: imagine that overnight a miracle happens and what brought us "
            "here is solved. What is the first thing you would notice tomorrow?"
        ),
        _(
            "Exceptions: when has the problem been smaller, or not there at all? What was "
            "different then?"
        ),
        _("What already works for us, and what of it is worth keeping?"),
        _("What resources carry you in your work?"),
    ),
    Method.TURNS: (
        _("A round: what has gone well since our last meeting?"),
        _("A closing round: what do you take with you from this meeting?"),
    ),
}


def _integer(value: Any, allowed: range) -> int:
    if isinstance(value, bool):
        raise AnswerError("not a number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in allowed:
        raise AnswerError("not in range")
    return value


def parse_answer(run: Run, data: dict[str, Any]) -> dict[str, Any]:
    """The answer in ``data`` as it is stored, or ``AnswerError``."""
    if run.method == Method.SCALE:
        answer = {"now": _integer(data.get("now"), SCALE)}
        if run.second_mark and data.get("next") not in (None, ""):
            answer["next"] = _integer(data.get("next"), SCALE)
        return answer
    if run.method == Method.CARDS:
        key = data.get("card")
        deck = find_deck(run.deck)
        if not isinstance(key, str) or deck is None or deck.card(key) is None:
            raise AnswerError("no such card")
        return {"card": key}
    if run.method == Method.EMOTION:
        words = data.get("word")
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not 1 <= len(words) <= MAX_WORDS:
            raise AnswerError("one to three words")
        known = {card.key for card in words_for(run.method, run.deck)}
        if not all(isinstance(word, str) and word in known for word in words):
            raise AnswerError("no such word")
        if len(set(words)) != len(words):
            raise AnswerError("a word twice")
        return {"words": words, "intensity": _integer(data.get("intensity"), SCALE)}
    if run.method == Method.LINEUP:
        return {"position": _integer(data.get("position"), LINE)}
    if run.method == Method.STRENGTHS:
        to = data.get("to")
        words = data.get("word", [])
        if isinstance(words, str):
            words = [words]
        if not isinstance(to, str) or len(to) != 32 or not all(c in "0123456789abcdef" for c in to):
            raise AnswerError("no such participant")
        if not isinstance(words, list) or len(words) > MAX_WORDS:
            raise AnswerError("at most three words")
        known = {card.key for card in words_for(run.method, run.deck)}
        if not all(isinstance(word, str) and word in known for word in words):
            raise AnswerError("no such word")
        if len(set(words)) != len(words):
            raise AnswerError("a word twice")
        return {"to": to, "words": words}
    raise AnswerError("unknown method")


def received(
    values: list[dict[str, Any]], participant_hex: str, words: tuple[Card, ...] = STRENGTHS
) -> list[tuple[Card, int]]:
    """The strengths one participant received from a round's answers, most given first,
    without the givers."""
    counts = Counter(
        word for value in values for word in value.get("given", {}).get(participant_hex, [])
    )
    return sorted(
        ((card, counts[card.key]) for card in words if counts.get(card.key)),
        key=lambda pair: -pair[1],
    )


def result_visible(run: Run, count: int) -> bool:
    """A result is shown only with at least k answers, and only when revealed (or live, if
    the supervisor chose so and the round is open)."""
    if count < run.k:
        return False
    return run.state == State.REVEALED or (run.show_live and run.state == State.OPEN)


@dataclass
class Dot:
    x: int
    y: int
    label: str = ""


@dataclass
class Result:
    """A round's aggregate. ``names`` only in a named run, shown beside the chart."""

    method: str
    count: int
    scale_now: list[int] = field(default_factory=list)
    scale_next: list[int] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    words: list[tuple[Card, int]] = field(default_factory=list)
    intensity: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    gifts: int = 0
    names: list[tuple[str, str]] = field(default_factory=list)
    # Boards: the layout, the areas' labels, and the posted notes as dicts of
    # ``tila.live.board.ShownNote``.
    layout: str = ""
    labels: list[str] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return any(self.scale_next)

    @property
    def max_word_count(self) -> int:
        return max((count for _card, count in self.words), default=1)

    def to_data(self) -> dict[str, Any]:
        """What a snapshot keeps: aggregates only, never names."""
        return {
            "method": self.method,
            "count": self.count,
            "scale_now": self.scale_now,
            "scale_next": self.scale_next,
            "cards": [card.key for card in self.cards],
            "words": [[card.key, count] for card, count in self.words],
            "intensity": self.intensity,
            "positions": self.positions,
            "gifts": self.gifts,
            "layout": self.layout,
            "labels": self.labels,
            "notes": [
                {key: value for key, value in note.items() if key not in ("key", "name")}
                for note in self.notes
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], deck_key: str) -> "Result":
        deck = find_deck(deck_key)
        words_deck = Deck(deck_key, "", words_for(data["method"], deck_key))
        cards = [deck.card(key) for key in data.get("cards", [])] if deck else []
        words = [(words_deck.card(key), count) for key, count in data.get("words", [])]
        return cls(
            method=data["method"],
            count=data["count"],
            scale_now=data.get("scale_now", []),
            scale_next=data.get("scale_next", []),
            cards=[card for card in cards if card is not None],
            words=[(card, count) for card, count in words if card is not None],
            intensity=data.get("intensity", []),
            positions=data.get("positions", []),
            gifts=data.get("gifts", 0),
            layout=data.get("layout", ""),
            labels=data.get("labels", []),
            notes=[
                {**note, "key": f"saved-{index}", "name": ""}
                for index, note in enumerate(data.get("notes", []))
            ],
        )


def _histogram(values: list[int]) -> list[int]:
    counts = Counter(values)
    return [counts.get(value, 0) for value in SCALE]


def aggregate(run: Run, values: list[dict[str, Any]], names: list[str] | None = None) -> Result:
    """The result of one round's answers (``values``, with the answerers' names in a named
    run). The order of cards and words follows the deck, never the order of answering."""
    result = Result(method=run.method, count=len(values))
    if run.method == Method.SCALE:
        result.scale_now = _histogram([value["now"] for value in values])
        result.scale_next = _histogram([value["next"] for value in values if "next" in value])
        if names:
            result.names = sorted(
                (name, str(value["now"])) for name, value in zip(names, values, strict=True)
            )
    elif run.method == Method.CARDS:
        deck = find_deck(run.deck) or Deck(run.deck, "", ())
        picked = Counter(value["card"] for value in values)
        result.cards = [card for card in deck.cards for _ in range(picked.get(card.key, 0))]
        if names:
            result.names = sorted(
                (name, card.label)
                for name, value in zip(names, values, strict=True)
                if (card := deck.card(value["card"])) is not None
            )
    elif run.method == Method.EMOTION:
        chosen = Counter(word for value in values for word in value["words"])
        result.words = sorted(
            (
                (card, chosen[card.key])
                for card in words_for(run.method, run.deck)
                if chosen.get(card.key)
            ),
            key=lambda pair: -pair[1],
        )
        result.intensity = _histogram([value["intensity"] for value in values])
    elif run.method == Method.LINEUP:
        result.positions = sorted(value["position"] for value in values)
        if names:
            result.names = sorted(
                (name, str(value["position"])) for name, value in zip(names, values, strict=True)
            )
    elif run.method == Method.STRENGTHS:
        # Counts only: never who gave, nor to whom.
        given = Counter(
            word for value in values for words in value["given"].values() for word in words
        )
        result.words = sorted(
            (
                (card, given[card.key])
                for card in words_for(run.method, run.deck)
                if given.get(card.key)
            ),
            key=lambda pair: -pair[1],
        )
        result.gifts = sum(len(value["given"]) for value in values)
    return result


# Dot plot geometry (server-rendered SVG): 11 columns, dots stacked upwards.
PLOT_WIDTH = 660
PLOT_LEFT = 30
PLOT_STEP = 60
DOT_RADIUS = 11
DOT_GAP = 26


def dots(histogram: list[int], base: int) -> list[Dot]:
    return [
        Dot(x=PLOT_LEFT + value * PLOT_STEP, y=base - index * DOT_GAP)
        for value, count in zip(SCALE, histogram, strict=False)
        for index in range(count)
    ]


@dataclass
class Plot:
    height: int
    now: list[Dot]
    next: list[Dot]
    ticks: list[tuple[int, int]]
    axis_y: int
    now_label_y: int
    next_axis_y: int = 0
    next_label_y: int = 0

    @property
    def width(self) -> int:
        return PLOT_WIDTH


def dot_plot(now: list[int], later: list[int] | None = None) -> Plot:
    """Positions for a dot plot of 0-10: 'now' above, 'where next' below when asked."""
    top = 34 + max(max(now, default=0), 1) * DOT_GAP
    plot = Plot(
        height=top + 40,
        now=dots(now, top - DOT_RADIUS),
        next=[],
        ticks=[(value, PLOT_LEFT + value * PLOT_STEP) for value in SCALE],
        axis_y=top + 4,
        now_label_y=22,
    )
    if later and any(later):
        second = plot.height + 34 + max(later) * DOT_GAP
        plot.next = dots(later, second - DOT_RADIUS)
        plot.next_axis_y = second + 4
        plot.next_label_y = plot.height + 22
        plot.height = second + 40
    return plot


@dataclass
class Bar:
    label: str
    count: int
    y: int
    width: int


BAR_LEFT = 200
BAR_WIDTH = 400
BAR_ROW = 40


def word_bars(result: Result) -> tuple[list[Bar], int]:
    """Rows of a bar chart of the chosen words, and the chart's height."""
    most = result.max_word_count
    bars = [
        Bar(card.label, count, index * BAR_ROW, max(4, round(BAR_WIDTH * count / most)))
        for index, (card, count) in enumerate(result.words)
    ]
    return bars, max(len(bars), 1) * BAR_ROW


# Line-up geometry: the line runs from LINE_LEFT to LINE_RIGHT; tokens close to each other
# stack upwards so none hides another.
LINE_LEFT = 30
LINE_RIGHT = 630
LINE_BIN = 3


def line_plot(positions: list[int]) -> Plot:
    stacks: Counter[int] = Counter()
    placed = []
    for position in sorted(positions):
        column = position // LINE_BIN
        placed.append((position, stacks[column]))
        stacks[column] += 1
    tallest = max(stacks.values(), default=1)
    axis = 30 + tallest * DOT_GAP
    return Plot(
        height=axis + 50,
        now=[
            Dot(
                x=LINE_LEFT + round(position * (LINE_RIGHT - LINE_LEFT) / 100),
                y=axis - DOT_RADIUS - 4 - level * DOT_GAP,
            )
            for position, level in placed
        ],
        next=[],
        ticks=[],
        axis_y=axis,
        now_label_y=axis + 30,
    )

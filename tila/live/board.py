"""Boards: notes written privately, posted to a shared wall, moved and grouped by the
supervisor, and dot-voted.

A board's areas depend on its layout: one free wall, four fields with the supervisor's labels,
four resource rings (me, team, organisation, outside) or a timeline's highs and lows. Messages
from a participant's socket arrive as untrusted JSON; ``parse_message`` accepts only the exact
shapes the board's forms send and raises ``AnswerError`` for anything else. Nothing of a board
is shown before at least k participants have posted, as with the other methods."""

from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from tila.keys.sealing import seal, unseal
from tila.live.methods import AnswerError, Result
from tila.live.models import NOTE_LENGTH, BoardDot, BoardNote, Layout, Participant, Round, Run

DEFAULT_FIELDS = (
    _("What works"),
    _("What does not work yet"),
    _("What we want more of"),
    _("What we can let go of"),
)
RINGS = (_("Me"), _("Team"), _("Organisation"), _("Outside"))
TIMELINE = (_("A high"), _("A low"))
FIELD_LABEL_LENGTH = 60
MAX_DOTS = 10


def area_labels(run: Run) -> list[str]:
    """The names of the run's areas, in order (one unnamed area on a free wall)."""
    if run.layout == Layout.FOUR:
        labels = [line.strip() for line in run.area_labels.splitlines()][:4]
        labels += [""] * (4 - len(labels))
        return [
            label or str(default) for label, default in zip(labels, DEFAULT_FIELDS, strict=True)
        ]
    if run.layout == Layout.RINGS:
        return [str(label) for label in RINGS]
    if run.layout == Layout.TIMELINE:
        return [str(label) for label in TIMELINE]
    return [""]


def area_question(layout: str) -> StrPromise | None:
    """What a participant is asked when placing a note (none on a free wall)."""
    questions: dict[str, StrPromise] = {
        Layout.FOUR: _("Which field?"),
        Layout.RINGS: _("Which ring?"),
        Layout.TIMELINE: _("A high or a low?"),
    }
    return questions.get(layout)


def _note_key(value: Any) -> UUID:
    if not isinstance(value, str) or len(value) != 32:
        raise AnswerError("no such note")
    try:
        return UUID(hex=value)
    except ValueError as error:
        raise AnswerError("no such note") from error


def _area(run: Run, value: Any) -> int:
    if value in (None, "") and run.layout == Layout.FREE:
        return 0
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError("no such area")
    if not 0 <= value < len(area_labels(run)):
        raise AnswerError("no such area")
    return value


NO_NOTE = UUID(int=0)


@dataclass(frozen=True)
class Message:
    """A participant's board message: write a note, post or delete one, post all, give or take
    back a dot."""

    action: str
    text: str = ""
    area: int = 0
    note: UUID = NO_NOTE


PARTICIPANT_ACTIONS = ("write", "post", "delete", "post-all", "dot")


def parse_message(run: Run, data: dict[str, Any]) -> Message:
    action = data.get("action")
    if action not in PARTICIPANT_ACTIONS:
        raise AnswerError("unknown action")
    if action == "write":
        text = data.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > NOTE_LENGTH:
            raise AnswerError("a note of 1 to 280 characters")
        return Message("write", text=" ".join(text.split()), area=_area(run, data.get("area")))
    if action == "post-all":
        return Message("post-all")
    return Message(str(action), note=_note_key(data.get("note")))


@dataclass
class ShownNote:
    """A posted note as the board shows it: never its writer in an anonymous run."""

    key: str
    text: str
    area: int
    group: int
    position: int
    dots: int
    name: str = ""


@dataclass
class Cluster:
    group: int
    notes: list[ShownNote]

    @property
    def area(self) -> int:
        return self.notes[0].area


@dataclass
class Area:
    index: int
    label: str
    clusters: list[Cluster] = field(default_factory=list)


@dataclass
class BoardView:
    layout: str
    areas: list[Area]
    timeline: list[Cluster]
    groups: list[int]

    @property
    def count(self) -> int:
        return sum(len(cluster.notes) for area in self.areas for cluster in area.clusters)


def seal_note(run: Run, note: BoardNote, text: str) -> None:
    """Put ``text`` into ``note``, sealed under the run's practice (saving is the caller's)."""
    note.text = seal(run.practice, text, context=note.context)


def note_text(run: Run, note: BoardNote) -> str:
    return unseal(run.practice, note.text, context=note.context)


def posted_notes(run: Run, each: Round) -> list[ShownNote]:
    notes = (
        BoardNote.objects.filter(round=each, posted_at__isnull=False)
        .select_related("participant")
        .prefetch_related("dots")
        .order_by("position", "id")
    )
    return [
        ShownNote(
            key=note.uuid.hex,
            text=note_text(run, note),
            area=note.area,
            group=note.group,
            position=note.position,
            dots=len(note.dots.all()),
            name="" if run.anonymous else (note.participant.name or "–"),
        )
        for note in notes
    ]


def posters(each: Round) -> int:
    """How many participants have posted at least one note: the count that k is held to."""
    return (
        BoardNote.objects.filter(round=each, posted_at__isnull=False)
        .values("participant")
        .distinct()
        .count()
    )


def view(layout: str, labels: list[str], notes: list[ShownNote]) -> BoardView:
    """The notes in their areas, grouped; a group sits where its first note is."""
    clusters: list[Cluster] = []
    by_group: dict[tuple[int, int], Cluster] = {}
    for note in sorted(notes, key=lambda each: each.position):
        if note.group and (note.area, note.group) in by_group:
            by_group[(note.area, note.group)].notes.append(note)
            continue
        cluster = Cluster(group=note.group, notes=[note])
        clusters.append(cluster)
        if note.group:
            by_group[(note.area, note.group)] = cluster
    areas = [Area(index, label) for index, label in enumerate(labels)]
    for cluster in clusters:
        if cluster.area < len(areas):
            areas[cluster.area].clusters.append(cluster)
    return BoardView(
        layout=layout,
        areas=areas,
        timeline=clusters if layout == Layout.TIMELINE else [],
        groups=sorted({note.group for note in notes if note.group}),
    )


def my_dots(participant: Participant, each: Round) -> set[str]:
    return {
        key.hex
        for key in BoardDot.objects.filter(participant=participant, note__round=each).values_list(
            "note__uuid", flat=True
        )
    }


def result(run: Run, each: Round, count: int) -> Result:
    """A board round's result: its layout, labels and posted notes (names only in a named
    run; ``Result.to_data`` drops them for a snapshot)."""
    return Result(
        method=run.method,
        count=count,
        layout=run.layout,
        labels=area_labels(run),
        notes=[asdict(note) for note in posted_notes(run, each)],
    )


def result_view(shown: Result) -> BoardView:
    return view(shown.layout, shown.labels, [ShownNote(**note) for note in shown.notes])

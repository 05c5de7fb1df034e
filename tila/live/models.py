"""Live exercises ("runs") in a meeting: the database is the source of truth.

A run belongs to one meeting and is controlled only by the meeting's supervisors. Participants
join with a short code, without an account, as a pseudonymous participant of that run only.
Answers live only while the run does: ending a run deletes them, after an optional snapshot of
the aggregated result (never of who answered what) is saved to the meeting's record."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.meetings.models import Meeting
from tila.practices.models import Practice

# Letters and digits that are hard to mix up on a screen across a room (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Method(models.TextChoices):
    SCALE = "scale", _("Scale")
    CARDS = "cards", _("Cards")
    EMOTION = "emotion", _("Emotion check-in")
    LINEUP = "lineup", _("Line-up")
    STRENGTHS = "strengths", _("Strengths")
    BOARD = "board", _("Board")
    TURNS = "turns", _("Round")


class Phase(models.TextChoices):
    """The phases of a reflecting team, shown to everyone as the current one."""

    CASE = "case", _("The case")
    REFLECT = "reflect", _("The team reflects")
    ANSWER = "answer", _("The case owner answers")


class Layout(models.TextChoices):
    """How a board's notes are laid out (see ``tila.live.board``)."""

    FREE = "free", _("Free wall")
    FOUR = "four", _("Four-field")
    RINGS = "rings", _("Resource rings")
    TIMELINE = "timeline", _("Timeline with highs and lows")


class State(models.TextChoices):
    OPEN = "open", _("Answering")
    THINKING = "thinking", _("Private thinking")
    REVEALED = "revealed", _("Revealed")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# Which control leads from which state (the supervisor's buttons).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.OPEN: (State.THINKING, State.REVEALED, State.PAUSED),
    State.THINKING: (State.OPEN, State.REVEALED, State.PAUSED),
    State.REVEALED: (State.OPEN, State.PAUSED),
    State.PAUSED: (State.OPEN, State.THINKING, State.REVEALED),
    State.ENDED: (),
}


class Run(models.Model):
    """One exercise in a meeting, with one or more prompts (rounds)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="live_runs")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="live_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    deck = models.CharField(_("deck"), max_length=40, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    k = models.PositiveSmallIntegerField(_("minimum number of answers"), default=3)
    show_live = models.BooleanField(_("show answers as they come in"), default=False)
    second_mark = models.BooleanField(_("ask also where next"), default=False)
    left_label = models.CharField(_("left end of the line"), max_length=60, blank=True)
    right_label = models.CharField(_("right end of the line"), max_length=60, blank=True)
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, blank=True)
    area_labels = models.TextField(_("labels of the four fields"), blank=True)
    dots = models.PositiveSmallIntegerField(_("dots for each participant"), default=3)
    turn_seconds = models.PositiveSmallIntegerField(_("speaking time for each"), default=120)
    reflecting = models.BooleanField(_("phases of a reflecting team"), default=False)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    speaker = models.ForeignKey(
        "Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    turn_started_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    join_code = models.CharField(_("join code"), max_length=CODE_LENGTH, default=new_join_code)
    saved = models.BooleanField(_("result saved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("live exercise")
        verbose_name_plural = _("live exercises")
        constraints = [
            models.CheckConstraint(condition=Q(method__in=Method.values), name="run_method_valid"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="run_state_valid"),
            models.CheckConstraint(condition=Q(k__gte=1, k__lte=50), name="run_k_in_range"),
            models.CheckConstraint(condition=Q(dots__lte=10), name="run_dots_in_range"),
            models.CheckConstraint(
                condition=Q(turn_seconds__gte=10, turn_seconds__lte=3600),
                name="run_turn_seconds_in_range",
            ),
            models.CheckConstraint(
                condition=Q(phase="") | Q(phase__in=Phase.values), name="run_phase_valid"
            ),
            models.CheckConstraint(
                condition=(Q(method=Method.BOARD) & Q(layout__in=Layout.values))
                | (~Q(method=Method.BOARD) & Q(layout="")),
                name="run_layout_only_for_boards",
            ),
            models.CheckConstraint(
                condition=Q(state=State.ENDED) | Q(ended_at__isnull=True),
                name="run_ended_at_only_when_ended",
            ),
            # A join code names one run while it is running.
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~Q(state=State.ENDED),
                name="run_join_code_unique_while_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.uuid}"

    @property
    def is_ended(self) -> bool:
        return self.state == State.ENDED

    @property
    def group(self) -> str:
        """The channel layer group of everyone following this run."""
        return f"live.{self.uuid.hex}"


class Round(models.Model):
    """One prompt of a run. 'Next prompt' starts a new round; earlier rounds keep answers
    until the run ends."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    prompt = models.CharField(_("prompt"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.number}"


class Participant(models.Model):
    """Someone who joined a run: a pseudonymous device, or a logged-in supervisee."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    speaking_order = models.PositiveSmallIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user_and_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.uuid}"


class Answer(models.Model):
    """A participant's current answer to one round; answering again replaces it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="answer_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.participant_id}"


MAX_AREAS = 4
NOTE_LENGTH = 280


class BoardNote(models.Model):
    """A participant's note on a board round: private to its writer until posted.

    ``text`` is sealed (``tila.keys.sealing``, context ``context``) like every other text a
    supervisee writes: read and written through ``tila.live.board.note_text`` and
    ``seal_note``.

    ``area`` is the field, ring or (on a timeline) high or low; ``position`` orders the notes
    of a round; notes with the same non-zero ``group`` are shown together. Only the supervisor
    moves and groups notes once they are posted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("text of the note (sealed)"))
    area = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    group = models.PositiveIntegerField(default=0)
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("note on a board")
        verbose_name_plural = _("notes on a board")
        constraints = [
            models.CheckConstraint(condition=Q(area__lt=MAX_AREAS), name="board_note_area_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="board_note_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.round} note {self.uuid}"

    @property
    def context(self) -> str:
        return f"live.BoardNote.text:{self.uuid}"

    @property
    def is_posted(self) -> bool:
        return self.posted_at is not None


class BoardDot(models.Model):
    """One dot of a participant's dot-voting on a posted note (at most one on each note; at
    most ``Run.dots`` in a round, checked when given)."""

    note = models.ForeignKey(BoardNote, on_delete=models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "participant"], name="board_dot_one_per_note")
        ]

    def __str__(self) -> str:
        return f"{self.note} dot"


class Snapshot(models.Model):
    """The result of an ended run, saved to the meeting's record when the supervisor chose so.

    ``data`` is a sealed token of JSON with aggregates only (see ``tila.live.methods``): no
    participant, no name, and no result of a round with fewer answers than the run's k."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="live_snapshots")
    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="snapshot")
    data = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("saved result of a live exercise")
        verbose_name_plural = _("saved results of live exercises")

    def __str__(self) -> str:
        return f"{self.run} snapshot"

    @property
    def context(self) -> str:
        return f"live.Snapshot.data:{self.uuid}"


# How a run names an own deck in ``Run.deck``: the prefix and the deck's uuid in hex.
OWN_DECK_PREFIX = "own-"


class DeckLanguage(models.TextChoices):
    FI = "fi", _("Finnish")
    EN = "en", _("English")


class OwnDeck(models.Model):
    """A supervisor's own deck of word or picture cards, beside the decks shipped with Tila.

    It is hers alone: she picks it when she starts a cards exercise in her practice."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="live_decks")
    owner = models.ForeignKey(
        "practices.Membership", on_delete=models.CASCADE, related_name="live_decks"
    )
    name = models.CharField(_("name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=2, choices=DeckLanguage.choices, default=DeckLanguage.FI
    )
    pictures = models.BooleanField(_("picture cards"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("own deck")
        verbose_name_plural = _("own decks")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=DeckLanguage.values), name="own_deck_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """How a run names this deck (``Run.deck``)."""
        return f"{OWN_DECK_PREFIX}{self.uuid.hex}"


class OwnCard(models.Model):
    """A card of an own deck: a word, or a picture with its caption (the text alternative).

    ``image`` is the file name of the re-encoded picture under ``TILA_UPLOAD_DIR``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deck = models.ForeignKey(OwnDeck, on_delete=models.CASCADE, related_name="cards")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("word or caption"), max_length=80)
    image = models.CharField(max_length=100, blank=True)
    image_type = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("card of an own deck")
        verbose_name_plural = _("cards of own decks")
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | Q(image_type__in=["image/webp", "image/jpeg"]),
                name="own_card_image_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

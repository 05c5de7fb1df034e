"""Questionnaires, evaluation rounds and their answers.

A questionnaire is versioned: once a version has answers it is never changed; changing it
makes the next version (``tila.evaluations.actions.editable_version``).

Anonymity that holds. In an anonymous round a ``Response`` has no link to a person: no person
column, no timestamp, a random UUID as its primary key, and the round's responses are written
again in a random order at every submission, so that neither ids nor the order of rows tell
which came when. Who has answered is kept apart, in ``Respondent`` (one row per person and
round, enforced by the database), written in the same transaction and likewise without a
timestamp. In a named round the response carries the person."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Person
from tila.contracts.models import Contract, Goal, GoalVisibility
from tila.meetings.models import Meeting
from tila.practices.models import Practice

# Free-text answers, before sealing.
TEXT_MAX_CHARS = 4000
SHORT_TEXT_MAX_CHARS = 200


def _in_language(finnish: str, english: str) -> str:
    """The Finnish text, or the English one when English is in use and there is one."""
    if (get_language() or "fi").startswith("en") and english:
        return english
    return finnish


class ItemKind(models.TextChoices):
    SCALE_10 = "scale10", _("Scale 0–10")
    AGREE_5 = "agree5", _("Agreement 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SHORT_TEXT = "short", _("Short text")
    LONG_TEXT = "long", _("Long text")


NUMERIC_KINDS = (ItemKind.SCALE_10, ItemKind.AGREE_5)
CHOICE_KINDS = (ItemKind.SINGLE, ItemKind.MULTIPLE)
TEXT_KINDS = (ItemKind.SHORT_TEXT, ItemKind.LONG_TEXT)


class Questionnaire(models.Model):
    """One version of a questionnaire of a practice. ``family`` is shared by its versions."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questionnaires")
    family = models.UUIDField(default=uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    # The built-in measure this was made from ("" for the practice's own).
    measure = models.CharField(max_length=40, blank=True)
    # Set for a questionnaire made from one contract's goals (goal attainment).
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    intro_fi = models.TextField(_("introduction in Finnish"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title_fi", "version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "family", "version"], name="questionnaire_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="questionnaire_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title_fi} v{self.version}"

    @property
    def title(self) -> str:
        return _in_language(self.title_fi, self.title_en)

    @property
    def intro(self) -> str:
        return _in_language(self.intro_fi, self.intro_en)


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField()
    title_fi = models.CharField(_("title in Finnish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="section_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} §{self.position}"

    @property
    def title(self) -> str:
        return _in_language(self.title_fi, self.title_en)


class Item(models.Model):
    """One question. Choices are a list of ``{"fi": ..., "en": ...}``; an answer stores the
    indexes of the chosen ones."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    text_fi = models.CharField(_("question in Finnish"), max_length=500)
    text_en = models.CharField(_("question in English"), max_length=500, blank=True)
    low_label_fi = models.CharField(max_length=100, blank=True)
    low_label_en = models.CharField(max_length=100, blank=True)
    high_label_fi = models.CharField(max_length=100, blank=True)
    high_label_en = models.CharField(max_length=100, blank=True)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    # The contract's goal this item asks about (goal attainment).
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="item_position_unique"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text_fi

    @property
    def text(self) -> str:
        return _in_language(self.text_fi, self.text_en)

    @property
    def low_label(self) -> str:
        return _in_language(self.low_label_fi, self.low_label_en)

    @property
    def high_label(self) -> str:
        return _in_language(self.high_label_fi, self.high_label_en)

    @property
    def choice_labels(self) -> list[str]:
        return [_in_language(c.get("fi", ""), c.get("en", "")) for c in self.choices]

    @property
    def scale(self) -> range:
        """The allowed numbers of a numeric item."""
        return range(0, 11) if self.kind == ItemKind.SCALE_10 else range(1, 6)

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def orderer_may_see(self) -> bool:
        """Whether the question may appear in anything shown to the orderer: not when it
        asks about a goal the supervisees keep to themselves."""
        return self.goal is None or self.goal.visibility == GoalVisibility.SHARED


class Point(models.TextChoices):
    """When in the process a round was opened; "" for a round the supervisor opened."""

    MANUAL = "", _("Opened by the supervisor")
    START = "start", _("At the start")
    INTERIM = "interim", _("Interim")
    FINAL = "final", _("At the end")
    SESSION = "session", _("After a meeting")


SCHEDULED_POINTS = [Point.START, Point.INTERIM, Point.FINAL]


class EvaluationRound(models.Model):
    """The supervisor asks the supervisees of a contract to answer a questionnaire."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="evaluation_rounds"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="evaluation_rounds"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    anonymous = models.BooleanField(_("anonymous"), default=True)
    k = models.PositiveSmallIntegerField(_("results shown from this many answers"), default=3)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Rounds opened from the contract's evaluation points: which point, which measure, and
    # for session feedback the meeting. The database allows each only once.
    point = models.CharField(max_length=10, choices=Point.choices, blank=True, default="")
    measure = models.CharField(max_length=40, blank=True, default="")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=3, k__lte=50), name="round_k_in_range"),
            models.CheckConstraint(condition=Q(point__in=Point.values), name="round_point_valid"),
            models.UniqueConstraint(
                fields=["contract", "point", "measure"],
                condition=Q(point__in=SCHEDULED_POINTS),
                name="round_once_per_point",
            ),
            models.UniqueConstraint(
                fields=["meeting", "measure"],
                condition=Q(meeting__isnull=False),
                name="round_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} @ {self.contract}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Respondent(models.Model):
    """That a person has answered a round: nothing about what, nor when."""

    id = models.UUIDField(primary_key=True, default=uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="respondent_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.round}"


class Response(models.Model):
    """One person's answers to a round; ``person`` only in a named round."""

    id = models.UUIDField(primary_key=True, default=uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(person__isnull=False),
                name="response_once_per_named_person",
            )
        ]

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    """The answer to one item: a number, chosen indexes, or sealed text."""

    id = models.UUIDField(primary_key=True, default=uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    number = models.SmallIntegerField(null=True, blank=True)
    chosen = models.JSONField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def context(self) -> str:
        """The associated data the text is sealed with: a ciphertext is valid only here."""
        return f"evaluations.Answer.text:{self.id}"


class EvaluationSchedule(models.Model):
    """The contract's evaluation points, from which rounds open by themselves
    (``tila.evaluations.scheduling``). A contract without one uses the defaults."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="evaluation_schedule"
    )
    at_start = models.BooleanField(
        _("evaluation at the start"),
        default=True,
        help_text=_("Where we start, and the goals, a week before the first meeting."),
    )
    interim_after_meetings = models.PositiveSmallIntegerField(
        _("interim evaluation after this many held meetings"), null=True, blank=True
    )
    interim_on = models.DateField(_("or on this date"), null=True, blank=True)
    final = models.BooleanField(
        _("final evaluation near the end"),
        default=True,
        help_text=_(
            "When all but the last meeting have been held, or two weeks before the contract ends."
        ),
    )
    session_feedback = models.BooleanField(_("feedback after each held meeting"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    k = models.PositiveSmallIntegerField(_("results shown from this many answers"), default=3)

    class Meta:
        verbose_name = _("evaluation schedule")
        verbose_name_plural = _("evaluation schedules")
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=3, k__lte=50), name="schedule_k_in_range"),
            models.CheckConstraint(
                condition=Q(interim_after_meetings__isnull=True) | Q(interim_after_meetings__gte=1),
                name="schedule_interim_after_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.contract)


class AnswerLink(models.Model):
    """A person's own link to answer one round without logging in.

    The link's token is ``uuid`` signed with the site's secret (``tila.evaluations.links``):
    it cannot be guessed, it opens only this round for this person, and it answers once, as
    the portal does (``Respondent``). Nothing here says when or what she answered."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="answer_link_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.round}"

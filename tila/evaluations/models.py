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
from tila.contracts.models import Contract
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

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=3, k__lte=50), name="round_k_in_range"),
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

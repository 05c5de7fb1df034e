import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Person
from tila.meetings.models import Meeting
from tila.practices.models import Practice

# The limit applies to the text before sealing.
TEXT_MAX_CHARS = 10_000


class Prompt(models.TextChoices):
    """Resource-oriented questions to start from (domain README §1 and §4: the closing round)."""

    WENT_WELL = "went_well", _("What went well?")
    HELPED = "helped", _("What helped?")
    NEXT_STEP = "next_step", _("What would one step forward look like?")
    TAKE_WITH_ME = "take_with_me", _("What do I take with me?")
    FREE = "free", _("Free writing")


class JournalEntry(models.Model):
    """One entry of a supervisee's private journal.

    ``text`` holds only a sealed token (see ``tila.keys.sealing``), bound to this entry's UUID.
    Nobody but the author reads an entry, unless she shares it into a coming meeting of her
    own group (``shared_meeting``): then that meeting's supervisors read it too, each read
    audited. Withdrawing the share clears both fields."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="journal_entries")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="journal_entries", verbose_name=_("author")
    )
    prompt = models.CharField(_("question"), max_length=20, choices=Prompt.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
        verbose_name=_("shared for the meeting"),
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(prompt__in=Prompt.values), name="journal_prompt_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="journal_text_not_empty"),
            models.CheckConstraint(
                condition=Q(shared_meeting__isnull=True) | Q(shared_at__isnull=False),
                name="journal_share_has_time",
            ),
        ]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.created_at:%Y-%m-%d}"

    @property
    def context(self) -> str:
        """The associated data the text is sealed with: a ciphertext is valid only here."""
        return f"journal.JournalEntry.text:{self.uuid}"

    @property
    def question(self) -> str:
        return str(Prompt(self.prompt).label)

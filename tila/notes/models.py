import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.contracts.models import Contract
from tila.meetings.models import Meeting
from tila.practices.models import Practice


class NoteKind(models.TextChoices):
    PRIVATE = "private", _("Private note")
    SUMMARY = "summary", _("Shared summary")


class Note(models.Model):
    """A supervisor's note on a meeting or a contract.

    ``body`` holds only a sealed token (see ``tila.keys.sealing``): the text is encrypted
    with the practice's data key and bound to this note's UUID. Read it only through
    ``tila.notes.actions.read_note``, which records the read in the audit log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="notes")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="notes")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_valid"),
            # One private note and one shared summary per meeting.
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=Q(meeting__isnull=False),
                name="note_one_per_meeting_and_kind",
            ),
            # A shared summary belongs to a meeting.
            models.CheckConstraint(
                condition=~Q(kind=NoteKind.SUMMARY) | Q(meeting__isnull=False),
                name="note_summary_has_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"

    @property
    def context(self) -> str:
        """The associated data the body is sealed with: a ciphertext is valid only here."""
        return f"notes.Note.body:{self.uuid}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class NoteRevision(models.Model):
    """The text of a locked note as it was before a change, and why it was changed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("earlier version of a note")
        verbose_name_plural = _("earlier versions of notes")

    def __str__(self) -> str:
        return f"{self.note} @ {self.created_at}"

    @property
    def body_context(self) -> str:
        return f"notes.NoteRevision.body:{self.uuid}"

    @property
    def reason_context(self) -> str:
        return f"notes.NoteRevision.reason:{self.uuid}"

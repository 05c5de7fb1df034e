import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Person
from tila.meetings.models import Meeting
from tila.practices.models import Practice

# The limit applies to the text before sealing.
TEXT_MAX_CHARS = 2000


class Topic(models.Model):
    """What a supervisee would like to bring to a meeting.

    ``text`` holds only a sealed token (see ``tila.keys.sealing``), bound to this topic's
    UUID. The supervisor sees every topic; the group only those shared with it. Withdrawing
    erases the text and keeps the row (that a topic was sent, and when)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="topics")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="topics", verbose_name=_("sent by")
    )
    text = models.TextField(blank=True)
    share_with_group = models.BooleanField(_("shared with the group"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            # Only a withdrawn topic is without text.
            models.CheckConstraint(
                condition=~Q(text="") | Q(withdrawn_at__isnull=False),
                name="topic_text_unless_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.meeting}"

    @property
    def context(self) -> str:
        """The associated data the text is sealed with: a ciphertext is valid only here."""
        return f"topics.Topic.text:{self.uuid}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

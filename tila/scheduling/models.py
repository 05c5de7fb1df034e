"""Scheduling polls: the supervisor proposes candidate times to a group, each current member
answers through a link of her own, and the chosen times become meetings.

A member's link is a random token; only its SHA-256 is stored (``PollInvitee.token_hash``),
so the database alone opens no poll."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.clients.models import ClientMember
from tila.contracts.models import Contract
from tila.meetings.models import Meeting
from tila.practices.models import Practice

# The most candidate times one poll may offer.
MAX_TIMES = 20


class PollStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEEDED = "if_needed", _("If needed")
    NO = "no", _("No")


class SchedulePoll(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="schedule_polls")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="schedule_polls")
    # Whose calendar the chosen times go to.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="schedule_polls"
    )
    note = models.TextField(_("note to the group"), blank=True, max_length=2000)
    deadline = models.DateTimeField(_("answers by"))
    show_names = models.BooleanField(
        _("members see each other's answers"),
        default=False,
        help_text=_("Otherwise members see only how many answered what; you always see names."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PollStatus.choices, default=PollStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduling poll")
        verbose_name_plural = _("scheduling polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PollStatus.values), name="schedule_poll_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PollStatus.OPEN) | Q(closed_at__isnull=False),
                name="schedule_poll_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.created_at:%Y-%m-%d}"

    def accepts_answers(self, now: datetime) -> bool:
        """Members answer, and change their answers, until the deadline or the decision."""
        return self.status == PollStatus.OPEN and now < self.deadline


class PollTime(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    poll = models.ForeignKey(SchedulePoll, on_delete=models.CASCADE, related_name="times")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    # The meeting this time became, once the supervisor chose it.
    meeting = models.OneToOneField(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="poll_time"
    )

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="poll_time_end_after_start"
            ),
            models.UniqueConstraint(fields=["poll", "start", "end"], name="poll_time_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}"


class PollInvitee(models.Model):
    """A member asked in the poll, with her own answer link: a current member of the client
    when the poll was made, or one who joined while it was open and was asked then."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    poll = models.ForeignKey(SchedulePoll, on_delete=models.CASCADE, related_name="invitees")
    member = models.ForeignKey(ClientMember, on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the link's token; empty until the link has been sent.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the one reminder before the deadline was sent to her (none once she has answered).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "member"], name="poll_invitee_once"),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="poll_invitee_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.member_id}"


class PollAnswer(models.Model):
    invitee = models.ForeignKey(PollInvitee, on_delete=models.CASCADE, related_name="answers")
    time = models.ForeignKey(PollTime, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitee", "time"], name="poll_answer_once"),
            models.CheckConstraint(
                condition=Q(choice__in=Choice.values), name="poll_answer_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitee_id}:{self.time_id}={self.choice}"

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from tila.clients.models import ClientMember, PracticeQuerySet
from tila.contracts.models import Contract
from tila.practices.models import Practice


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled in time")
    CANCELLED_LATE = "cancelled_late", _("Cancelled late")
    CANCELLED_BY_SUPERVISOR = "cancelled_by_supervisor", _("Cancelled by the supervisor")
    NO_SHOW = "no_show", _("No-show")


# Meetings that use one of the contract's meetings ("kerta 4/10").
COUNTED_STATUSES = [
    MeetingStatus.PLANNED,
    MeetingStatus.HELD,
    MeetingStatus.CANCELLED_LATE,
    MeetingStatus.NO_SHOW,
]
# Meetings that occupy the supervisor's time; two of these may not overlap.
BLOCKING_STATUSES = [MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.NO_SHOW]
CANCELLED_STATUSES = [
    MeetingStatus.CANCELLED,
    MeetingStatus.CANCELLED_LATE,
    MeetingStatus.CANCELLED_BY_SUPERVISOR,
]


class CancelledBy(models.TextChoices):
    SUPERVISEE = "supervisee", _("A supervisee")
    ORDERER = "orderer", _("The orderer")
    SUPERVISOR = "supervisor", _("The supervisor")


class MeetingQuerySet(PracticeQuerySet):
    def with_ordinal(self) -> "MeetingQuerySet":
        """Annotate ``ordinal``: the meeting's number among its contract's counted meetings.

        A correlated count rather than a window function, so that it stays right whatever
        filters the caller adds afterwards."""
        earlier = (
            Meeting.objects.filter(contract=OuterRef("contract"), status__in=COUNTED_STATUSES)
            .filter(
                Q(start__lt=OuterRef("start")) | Q(start=OuterRef("start"), id__lte=OuterRef("id"))
            )
            .order_by()
            .values("contract")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(ordinal=Subquery(earlier, output_field=models.IntegerField()))

    def blocking(self) -> "MeetingQuerySet":
        return self.filter(status__in=BLOCKING_STATUSES)


class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="meetings")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="meetings")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("supervisor"),
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    remote_link = models.URLField(_("remote meeting link"), blank=True, max_length=500)
    status = models.CharField(
        _("status"), max_length=30, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=20, choices=CancelledBy.choices, blank=True
    )
    cancellation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The supervisee who cancelled (through her portal or her invitation's link), if one did.
    cancelled_by_member = models.ForeignKey(
        ClientMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # Raised whenever the meeting's time, place or status changes, so that calendars that
    # imported the meeting (see ``tila.meetings.calendar``) take the newer version.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="meeting_end_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CANCELLED_STATUSES) | Q(cancelled_at__isnull=False),
                name="meeting_cancelled_has_time",
            ),
        ]
        indexes = [models.Index(fields=["supervisor", "start"])]

    def __str__(self) -> str:
        return f"{self.contract} {self.start:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def units(self) -> Decimal:
        """Units of 45 minutes, as counted in supervisor training (90 min = 2 units)."""
        return (Decimal(self.minutes) / Decimal(45)).quantize(Decimal("0.01"))

    @property
    def number(self) -> int | None:
        """'Meeting N' of the contract's M, if this meeting uses one of them."""
        if self.status not in COUNTED_STATUSES:
            return None
        return getattr(self, "ordinal", None)

    @property
    def is_cancelled(self) -> bool:
        return self.status in CANCELLED_STATUSES

    @property
    def billable_share(self) -> int:
        """Percent of the price that is billable, from the status and the contract's terms."""
        if self.status == MeetingStatus.HELD:
            return 100
        if self.status in (MeetingStatus.CANCELLED_LATE, MeetingStatus.NO_SHOW):
            return self.contract.late_cancellation_percent
        return 0

    @property
    def billable(self) -> bool:
        return self.billable_share > 0

    def is_late_cancellation(self, cancelled_at: datetime) -> bool:
        """Cancelled with less notice than the contract's cancellation terms require."""
        notice = timedelta(hours=self.contract.cancellation_notice_hours)
        return cancelled_at > self.start - notice


class Attendance(models.Model):
    """One member at one meeting: present or not, and whether she reported her absence
    beforehand (from the portal), when, and whether that was later than the contract's notice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(ClientMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    absence_reported_at = models.DateTimeField(_("absence reported at"), null=True, blank=True)
    absence_late = models.BooleanField(_("absence reported late"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(absence_late=False) | Q(absence_reported_at__isnull=False),
                name="attendance_late_absence_reported",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.meeting}"


def attendance_counts(meetings: models.QuerySet[Meeting]) -> models.QuerySet[Meeting]:
    return meetings.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True)),
    )


class CalendarFeed(models.Model):
    """A member's private calendar subscription: a secret link that calendar programs poll.

    Only the SHA-256 of the link's token is kept, so the link is shown once, when it is made;
    making a new one replaces it, and deleting the row revokes it."""

    membership = models.OneToOneField(
        "practices.Membership", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Titles name the client only when the member chooses so; otherwise a stable pseudonym.
    show_client_names = models.BooleanField(_("show client names"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return f"calendar feed of {self.membership_id}"


class Absence(models.Model):
    """Days when a supervisor is away (a holiday, training, illness): a series of meetings
    passes over them, and no first conversation can be booked on them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="absences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="absence_day_order"
            ),
        ]
        indexes = [models.Index(fields=["user", "first_day"])]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"

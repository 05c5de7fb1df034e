"""Inquiries from the public page, the practice's availability and booked first conversations."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.clients.models import PracticeQuerySet
from tila.contracts.models import Contract
from tila.practices.models import Form, Practice

# Recommended windows after a critical incident (domain README §8): defusing the same day,
# psychological debriefing 24–72 hours after the event.
DEFUSING_HOURS = 8
DEBRIEFING_FROM_HOURS = 24
DEBRIEFING_UNTIL_HOURS = 72


class Asker(models.TextChoices):
    PERSON = "person", _("Myself, as a private person")
    ORGANISATION = "organisation", _("An organisation (the orderer)")


class ForWhom(models.TextChoices):
    PERSON = "person", _("One person")
    GROUP = "group", _("A group")
    TEAM = "team", _("A team")
    COMMUNITY = "community", _("A whole work community")


class Mode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Either suits")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    CONVERTED = "converted", _("Contract made")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [InquiryStatus.NEW, InquiryStatus.CONTACTED]


class InquiryQuerySet(PracticeQuerySet):
    def open(self) -> "InquiryQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def crises(self) -> "InquiryQuerySet":
        return self.filter(is_crisis=True)


class Inquiry(models.Model):
    """A contact (yhteydenotto) from the public page. ``need`` is sealed at rest."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="inquiries")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    asker = models.CharField(_("who asks"), max_length=20, choices=Asker.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    for_whom = models.CharField(_("for whom"), max_length=20, choices=ForWhom.choices)
    group_size = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    form = models.CharField(
        _("form of supervision"), max_length=20, choices=Form.choices, blank=True
    )
    # Sealed: the need in the asker's own words may be as sensitive as a note.
    need = models.TextField(_("the need in your own words"))
    preferred_times = models.CharField(_("preferred times"), max_length=500, blank=True)
    mode = models.CharField(_("remote or on site"), max_length=20, choices=Mode.choices)
    is_crisis = models.BooleanField(_("crisis"), default=False)
    event_at = models.DateTimeField(_("time of the event"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    contract = models.OneToOneField(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiry",
        verbose_name=_("contract"),
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_crisis=False) | Q(event_at__isnull=False),
                name="inquiry_crisis_has_event_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InquiryStatus.values), name="inquiry_status_valid"
            ),
            models.CheckConstraint(condition=Q(asker__in=Asker.values), name="inquiry_asker"),
            models.CheckConstraint(
                condition=Q(for_whom__in=ForWhom.values), name="inquiry_for_whom"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="inquiry_mode"),
        ]
        indexes = [models.Index(fields=["practice", "status", "is_crisis"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d})"

    @property
    def need_context(self) -> str:
        return f"intake.Inquiry.need:{self.uuid}"

    @property
    def who(self) -> str:
        """The asker as the supervisor refers to them: the organisation, else the person."""
        return self.organisation or self.name

    def windows(self) -> "CrisisWindows | None":
        return CrisisWindows(self.event_at) if self.is_crisis and self.event_at else None


class CrisisWindows:
    """The recommended windows after a critical incident, counted from the event."""

    def __init__(self, event_at: datetime) -> None:
        self.event_at = event_at
        self.defusing_until = event_at + timedelta(hours=DEFUSING_HOURS)
        self.debriefing_from = event_at + timedelta(hours=DEBRIEFING_FROM_HOURS)
        self.debriefing_until = event_at + timedelta(hours=DEBRIEFING_UNTIL_HOURS)

    def elapsed(self, now: datetime) -> timedelta:
        return max(now - self.event_at, timedelta(0))

    def defusing_open(self, now: datetime) -> bool:
        return now < self.defusing_until

    def debriefing_state(self, now: datetime) -> str:
        if now < self.debriefing_from:
            return "coming"
        if now <= self.debriefing_until:
            return "open"
        return "passed"


class Availability(models.Model):
    """The practice's public page and the hours it offers for a free first conversation."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="availability")
    published = models.BooleanField(
        _("the public page is published"),
        default=False,
        help_text=_("Anyone can then see the page, send an inquiry and book a conversation."),
    )
    booking_open = models.BooleanField(_("free first conversations can be booked"), default=False)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("the conversations are with"),
    )
    slot_minutes = models.PositiveIntegerField(
        _("length of a conversation (minutes)"),
        default=30,
        validators=[MinValueValidator(15), MaxValueValidator(120)],
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer between meetings (minutes)"),
        default=15,
        validators=[MaxValueValidator(240)],
    )
    min_notice_hours = models.PositiveIntegerField(
        _("minimum notice (hours)"), default=24, validators=[MaxValueValidator(24 * 14)]
    )
    horizon_days = models.PositiveIntegerField(
        _("bookable how many days ahead"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    how = models.CharField(
        _("how the conversation is held"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “By phone or video; I send the link the day before.”"),
    )

    class Meta:
        verbose_name = _("availability")
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=15), name="availability_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.practice}"


class WeeklyHours(models.Model):
    """Hours on one weekday (0 = Monday) when first conversations may be booked."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="weekly_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}–{self.ends}"


class DayOff(models.Model):
    """An exception: days when nothing can be booked (holidays, training, absences)."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="days_off"
    )
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="day_off_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A free first conversation booked from the public page.

    Two confirmed bookings never share a supervisor's start time: the partial unique
    constraint is the guarantee when two people take the same slot at the same moment."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="bookings")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "start"],
                condition=Q(status="confirmed"),
                name="booking_one_per_slot",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_end_after"),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%Y-%m-%d %H:%M}"

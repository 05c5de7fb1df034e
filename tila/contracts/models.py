import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Client, Contact, Organisation, PracticeQuerySet
from tila.practices.models import Form, Membership, Practice, Role, Service, VatTreatment


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# Which status may follow which; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.TRIAL, Status.ACTIVE, Status.ENDED},
    Status.TRIAL: {Status.ACTIVE, Status.ENDED},
    Status.ACTIVE: {Status.PAUSED, Status.ENDED},
    Status.PAUSED: {Status.ACTIVE, Status.ENDED},
    Status.ENDED: set(),
}


class PlaceKind(models.TextChoices):
    ON_SITE = "on_site", _("At the client's workplace")
    PREMISES = "premises", _("At the supervisor's premises")
    REMOTE = "remote", _("Remote")
    MIXED = "mixed", _("Partly remote")


class OrdererVisibility(models.TextChoices):
    """What the orderer is told about attendance (domain README §6)."""

    NOTHING = "nothing", _("Nothing about attendance")
    COUNTS = "counts", _("Number of participants")
    NAMES = "names", _("Names of participants")


DEFAULT_CONFIDENTIALITY = _(
    "Everything said in supervision is confidential. The supervisor does not tell the orderer or "
    "anyone else what the supervisees or the orderer have said. The orderer is told only the "
    "dates of the meetings, attendance as agreed in this contract and the supervisor's general "
    "view of whether the supervision is useful. Confidentiality has limits set by law: if "
    "someone's safety is seriously threatened, the supervisor may have to act."
)
DEFAULT_INTERRUPTION = _(
    "Either party may interrupt the supervision by telling the others in writing. The "
    "reasons are discussed in a closing meeting where possible. Meetings held until then are "
    "paid for."
)
DEFAULT_DISSATISFACTION = _(
    "If a party is dissatisfied, it first raises the matter with the supervisor. If the "
    "parties cannot agree, they may ask a supervisor named together, or the ethics board of "
    "Suomen Työnohjaajat ry, to assess the matter."
)


class FrameworkAgreementQuerySet(PracticeQuerySet):
    def valid_on(self, day: date) -> "FrameworkAgreementQuerySet":
        return self.filter(valid_from__lte=day, valid_until__gte=day)


class FrameworkAgreement(models.Model):
    """A framework agreement (puitesopimus) with an orderer, often won in a public tender:
    one lot (osa-alue), its price list, its validity and the buyer's references. A contract
    made under it copies its prices and references when the agreement is picked, so later
    changes to the agreement do not rewrite contracts already made."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="framework_agreements"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="framework_agreements",
        verbose_name=_("orderer"),
    )
    title = models.CharField(
        _("name"), max_length=200, help_text=_("E.g. the tender's name and the agreement's number.")
    )
    lot = models.CharField(
        _("lot"),
        max_length=200,
        blank=True,
        help_text=_("The lot (osa-alue) the agreement covers."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    buyer_reference = models.CharField(_("buyer's reference"), max_length=70, blank=True)
    order_number = models.CharField(_("order number"), max_length=70, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", "title"]
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="framework_agreement_valid_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.lot}" if self.lot else self.title

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


class ContractQuerySet(PracticeQuerySet):
    def visible_to(self, membership: Membership) -> "ContractQuerySet":
        """Owners and assistants see the practice's contracts; a supervisor sees her own."""
        contracts = self.filter(practice=membership.practice)
        if membership.role == Role.SUPERVISOR:
            contracts = contracts.filter(supervisors=membership.user)
        return contracts

    def open(self) -> "ContractQuerySet":
        return self.exclude(status=Status.ENDED)


class Contract(models.Model):
    """A supervision contract (työnohjaussopimus): supervisor, supervisees, orderer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="contracts")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("client")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("orderer"),
        help_text=_("Leave empty when the supervisee orders and pays personally."),
    )
    orderer_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("orderer's contact person"),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="contracts", verbose_name=_("supervisors")
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form of supervision"), max_length=20, choices=Form.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    # 1–2: duration, number of meetings, scheduling
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"), null=True, blank=True)
    meeting_count = models.PositiveIntegerField(
        _("number of meetings"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    meeting_minutes = models.PositiveIntegerField(
        _("meeting length (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    rhythm_weeks = models.PositiveIntegerField(
        _("rhythm (weeks between meetings)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    scheduling = models.TextField(_("how meetings are scheduled"), blank=True, max_length=2000)
    # 3: place
    place_kind = models.CharField(
        _("meeting place"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.ON_SITE
    )
    place = models.CharField(_("address or room"), max_length=300, blank=True)
    remote_link = models.URLField(_("remote meeting link"), blank=True, max_length=500)
    # 5–6: evaluation, methods
    evaluation_plan = models.TextField(_("evaluation"), blank=True, max_length=2000)
    evaluation_interval_months = models.PositiveIntegerField(
        _("interim evaluation every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    evaluation_summary_to_orderer = models.BooleanField(
        _("an evaluation summary goes to the orderer"), default=False
    )
    methods = models.TextField(_("methods"), blank=True, max_length=2000)
    # 7: price and payment
    payment_terms_days = models.PositiveIntegerField(
        _("payment terms (days net)"), default=14, validators=[MaxValueValidator(120)]
    )
    framework_agreement = models.ForeignKey(
        FrameworkAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("framework agreement"),
        help_text=_(
            "Picking a valid framework agreement of the orderer replaces the price lines, the "
            "buyer's reference and the order number with the agreement's, as they are today."
        ),
    )
    buyer_reference = models.CharField(_("buyer's reference"), max_length=70, blank=True)
    order_number = models.CharField(_("order number"), max_length=70, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=70, blank=True)
    travel = models.TextField(_("travel costs"), blank=True, max_length=1000)
    # 8: cancellations
    cancellation_notice_hours = models.PositiveIntegerField(
        _("cancellation notice (hours)"), default=24, validators=[MaxValueValidator(24 * 30)]
    )
    late_cancellation_percent = models.PositiveIntegerField(
        _("share charged for a late cancellation (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
    )
    # 9–10: interruption, dissatisfaction
    interruption_procedure = models.TextField(
        _("if the supervision is interrupted"), blank=True, max_length=2000
    )
    dissatisfaction_procedure = models.TextField(
        _("if a party is dissatisfied"), blank=True, max_length=2000
    )
    # The wall
    orderer_visibility = models.CharField(
        _("what the orderer is told about attendance"),
        max_length=20,
        choices=OrdererVisibility.choices,
        default=OrdererVisibility.COUNTS,
    )
    invitations_to_orderer = models.BooleanField(
        _("meeting invitations also go to the orderer's contact person"),
        default=False,
        help_text=_(
            "When set, the orderer's contact person also gets the invitations and cancellations "
            "of the meetings by email."
        ),
    )
    confidentiality = models.TextField(_("confidentiality"), max_length=3000)
    earlier_relationships = models.TextField(
        _("earlier relationships disclosed"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Any earlier relationship between the supervisor and a supervisee, disclosed to "
            "the orderer (and in a group to the group) before the contract is made."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="contract_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(form__in=Form.values), name="contract_form_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_count__gte=1), name="contract_meeting_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(late_cancellation_percent__lte=100),
                name="contract_late_percent_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_supervised_by(self, membership: Membership) -> bool:
        """Whether the member is one of this contract's supervisors (who alone write notes)."""
        return membership.supervises and self.supervisors.filter(pk=membership.user_id).exists()

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def next_evaluation_date(self, today: date) -> date | None:
        """The next interim evaluation point on or after today, counted from the start."""
        if self.status in (Status.DRAFT, Status.ENDED) or self.start_date > today:
            return None
        months = self.evaluation_interval_months
        step = 1
        while True:
            total = self.start_date.month - 1 + months * step
            year = self.start_date.year + total // 12
            month = total % 12 + 1
            day = min(self.start_date.day, 28)
            point = date(year, month, day)
            if point >= today:
                if self.end_date and point > self.end_date:
                    return self.end_date
                return point
            step += 1


class GoalVisibility(models.TextChoices):
    SUPERVISEES = "supervisees", _("Supervisees only")
    SHARED = "shared", _("Shared with the orderer")


class Goal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"), max_length=1000)
    visibility = models.CharField(
        _("who sees the goal"),
        max_length=20,
        choices=GoalVisibility.choices,
        default=GoalVisibility.SUPERVISEES,
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=GoalVisibility.values),
                name="goal_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class PriceUnit(models.TextChoices):
    MEETING = "meeting", _("per meeting")
    HOUR = "hour", _("per hour")
    UNIT_45 = "unit45", _("per 45-minute unit")
    KILOMETRE = "km", _("per kilometre")
    LUMP = "lump", _("lump sum")


class PriceFields(models.Model):
    """What a line of a price list says: a contract's own lines and a framework agreement's."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    description = models.CharField(_("description"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=20, choices=PriceUnit.choices, default=PriceUnit.MEETING
    )
    unit_price = models.DecimalField(
        _("unit price (without VAT)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_treatment = models.CharField(
        _("VAT treatment"), max_length=20, choices=VatTreatment.choices
    )
    is_travel = models.BooleanField(_("travel"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description


class PriceLine(PriceFields):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="price_lines")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="price_line_price_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_treatment__in=VatTreatment.values),
                name="price_line_vat_valid",
            ),
        ]


class FrameworkPriceLine(PriceFields):
    """A line of a framework agreement's price list; contracts copy these as their own."""

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="price_lines"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="framework_price_line_price_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_treatment__in=VatTreatment.values),
                name="framework_price_line_vat_valid",
            ),
        ]

    def as_contract_line(self) -> "PriceLine":
        return PriceLine(
            description=self.description,
            unit=self.unit,
            unit_price=self.unit_price,
            vat_treatment=self.vat_treatment,
            is_travel=self.is_travel,
        )


class Party(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor")
    SUPERVISEES = "supervisees", _("Supervisees")
    ORDERER = "orderer", _("Orderer")


class Acceptance(models.Model):
    """One party's acceptance of one version of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="acceptances")
    version = models.PositiveIntegerField()
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    accepted_by_name = models.CharField(_("accepted by"), max_length=200)
    accepted_at = models.DateTimeField(_("accepted at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "version", "party"], name="acceptance_once_per_party"
            ),
            models.CheckConstraint(
                condition=models.Q(party__in=Party.values), name="acceptance_party_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.version} {self.party}"


class ContractVersion(models.Model):
    """A frozen copy of a contract's terms. Versions stay readable after a change."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    terms: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Contract created")
    EDITED = "edited", _("Contract edited")
    NEW_VERSION = "new_version", _("New version")
    ACCEPTED = "accepted", _("Accepted")
    STATUS = "status", _("Status changed")
    MEETINGS_PLANNED = "meetings_planned", _("Meetings planned")
    MEETING_HELD = "meeting_held", _("Meeting held")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_MOVED = "meeting_moved", _("Meeting moved")
    ABSENCE_REPORTED = "absence_reported", _("Absence reported")


class ContractEvent(models.Model):
    """The contract's history: what happened, when and by whom.

    Stored as a kind with data, not as text, so that it reads in the viewer's language."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.contract} {self.kind}"

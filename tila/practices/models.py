import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.lib.validators import (
    validate_bic,
    validate_business_id,
    validate_einvoice_operator,
    validate_iban,
    validate_ovt,
)


class Form(models.TextChoices):
    """The form of supervision (domain README §3)."""

    INDIVIDUAL = "individual", _("Individual supervision")
    GROUP = "group", _("Group supervision")
    TEAM = "team", _("Team supervision")
    COMMUNITY = "community", _("Work community supervision")
    LEADER = "leader", _("Leader supervision")
    CRISIS = "crisis", _("Crisis supervision")
    THERAPY = "therapy", _("Therapy supervision")
    CASE = "case", _("Case supervision")


class VatTreatment(models.TextChoices):
    """VAT is chosen per price line, never derived by a hard-coded rule (domain README §12)."""

    STANDARD = "standard", _("VAT at the general rate")
    EXEMPT = "exempt", _("Exempt from VAT (health care)")
    NOT_REGISTERED = "not_registered", _("Seller not registered for VAT")


class Practice(models.Model):
    """The tenant: a supervisor's (or a cooperative's) practice. Everything belongs to one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address name"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    vat_registered = models.BooleanField(_("registered for VAT"), default=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    # Where the practice's e-invoices come from: its own address and its operator.
    einvoice_address = models.CharField(
        _("own e-invoice address"),
        max_length=35,
        blank=True,
        validators=[validate_ovt],
        help_text=_("OVT code: 0037 followed by the business ID digits, e.g. 003712345671."),
    )
    einvoice_operator = models.CharField(
        _("e-invoice operator"),
        max_length=35,
        blank=True,
        validators=[validate_einvoice_operator],
        help_text=_(
            "The code of the operator (intermediator) that sends the e-invoices, "
            "e.g. 003723327487, or the bank's BIC."
        ),
    )
    reminder_fee = models.DecimalField(
        _("payment reminder fee (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Added to a payment reminder as its own line; 0 for none. A business debtor may "
            "be charged a reasonable fee; a consumer at most what the Debt Collection Act allows."
        ),
    )

    # Public profile
    bio = models.TextField(_("about me"), blank=True, max_length=5000)
    approach = models.TextField(_("how I work"), blank=True, max_length=5000)
    qualifications = models.TextField(_("qualifications"), blank=True, max_length=3000)
    associations = models.TextField(_("memberships"), blank=True, max_length=2000)
    training = models.TextField(_("training"), blank=True, max_length=3000)
    areas = models.TextField(_("areas of work"), blank=True, max_length=2000)
    languages = models.CharField(_("languages"), max_length=200, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reminder_fee__gte=0), name="practice_reminder_fee_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    SUPERVISOR = "supervisor", _("Supervisor")
    ASSISTANT = "assistant", _("Assistant")


class Membership(models.Model):
    """A user's place in a practice. Supervisors supervise; an assistant schedules and bills."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.practice} ({self.role})"

    @property
    def supervises(self) -> bool:
        return self.role in (Role.OWNER, Role.SUPERVISOR)


class Service(models.Model):
    """An entry in the practice's service catalogue; contracts start from one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form of supervision"), max_length=20, choices=Form.choices)
    minutes = models.PositiveIntegerField(
        _("length (minutes)"), default=60, validators=[MinValueValidator(15)]
    )
    price = models.DecimalField(
        _("price (without VAT)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_treatment = models.CharField(
        _("VAT treatment"), max_length=20, choices=VatTreatment.choices
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="service_price_nonneg"),
            models.CheckConstraint(condition=models.Q(minutes__gte=15), name="service_minutes_min"),
            models.CheckConstraint(condition=models.Q(form__in=Form.values), name="service_form"),
        ]

    def __str__(self) -> str:
        return self.name

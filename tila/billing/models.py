import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.billing import amounts
from tila.billing.interest import COMMERCIAL_MARGIN, PenaltyInterest
from tila.clients.models import Organisation, Person, PracticeQuerySet
from tila.contracts.models import Contract, PriceLine
from tila.meetings.models import Meeting
from tila.practices.models import Membership, Practice, Role, VatTreatment


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    """Overdue is not stored: it follows from the due date and today (``is_overdue``)."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")


# Issued invoices that still wait for (the rest of) their money.
OPEN_STATUSES = [InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.PARTLY_PAID]


class SentVia(models.TextChoices):
    EMAIL = "email", _("By email (PDF)")
    EINVOICE = "einvoice", _("As an e-invoice")
    POST = "post", _("By post")


class InvoiceCounter(models.Model):
    """The practice's next invoice number. Issuing locks this row, so that numbers are
    handed out one at a time, without gaps, even when many are issued at once."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="invoice_counter"
    )
    next_number = models.PositiveIntegerField(default=1000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(next_number__gte=100), name="invoice_counter_three_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.next_number}"


class InvoiceQuerySet(PracticeQuerySet):
    def visible_to(self, membership: Membership) -> "InvoiceQuerySet":
        """The owner and an assistant (who bills) see the practice's invoices; a supervisor
        sees the invoices that bill only contracts she supervises."""
        invoices = self.filter(practice=membership.practice)
        if membership.role == Role.SUPERVISOR:
            others = Contract.objects.filter(practice=membership.practice).exclude(
                supervisors=membership.user
            )
            invoices = invoices.filter(contracts__supervisors=membership.user).exclude(
                contracts__in=others
            )
            invoices = invoices.filter(pk__in=invoices.values("pk"))
        return invoices

    def open(self) -> "InvoiceQuerySet":
        return self.filter(kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES)

    def overdue(self, today: date) -> "InvoiceQuerySet":
        return self.open().filter(due_date__lt=today)


class Invoice(models.Model):
    """An invoice or a credit note. The parties are copied onto it when it is made and
    again when it is issued; after that nothing on it changes but its payment status."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invoices")
    kind = models.CharField(
        _("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("orderer"),
    )
    contracts = models.ManyToManyField(Contract, related_name="invoices", blank=True)
    credited_invoice = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("credited invoice"),
    )
    number = models.PositiveIntegerField(_("invoice number"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=25, blank=True)
    use_rf_reference = models.BooleanField(_("use the international RF reference"), default=False)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days net)"), default=14)
    penalty_interest_percent = models.DecimalField(
        _("penalty interest (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the rate of the Interest Act (korkolaki)."),
    )

    # The seller, as on the invoice
    seller_name = models.CharField(max_length=200, blank=True)
    seller_business_id = models.CharField(max_length=9, blank=True)
    seller_vat_registered = models.BooleanField(default=True)
    seller_street_address = models.CharField(max_length=200, blank=True)
    seller_postal_code = models.CharField(max_length=10, blank=True)
    seller_city = models.CharField(max_length=100, blank=True)
    seller_email = models.CharField(max_length=254, blank=True)
    seller_phone = models.CharField(max_length=40, blank=True)
    seller_iban = models.CharField(max_length=34, blank=True)
    seller_bic = models.CharField(max_length=11, blank=True)
    # The buyer, as on the invoice
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_business_id = models.CharField(max_length=9, blank=True)
    buyer_street_address = models.CharField(max_length=200, blank=True)
    buyer_postal_code = models.CharField(max_length=10, blank=True)
    buyer_city = models.CharField(max_length=100, blank=True)
    buyer_email = models.CharField(max_length=254, blank=True)
    buyer_einvoice_address = models.CharField(max_length=35, blank=True)
    buyer_einvoice_operator = models.CharField(max_length=35, blank=True)
    buyer_contact_name = models.CharField(max_length=200, blank=True)
    buyer_reference = models.CharField(_("buyer's reference"), max_length=70, blank=True)
    order_number = models.CharField(_("order number"), max_length=70, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=70, blank=True)

    # Totals, fixed when the invoice is issued (drafts compute them from their lines).
    total_net = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total_vat = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))

    sent_via = models.CharField(
        _("sent"), max_length=20, choices=SentVia.choices, blank=True, default=""
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sending by email: queued first, marked sent when the mail server has taken it.
    email_to = models.CharField(_("emailed to"), max_length=254, blank=True)
    email_queued_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-invoice_date", "-number", "-created_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "number"], name="invoice_number_unique_in_practice"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
            # A draft has no number; anything issued has a number, a date and a due date.
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT, number__isnull=True)
                | (
                    ~Q(status=InvoiceStatus.DRAFT)
                    & Q(number__isnull=False, invoice_date__isnull=False, due_date__isnull=False)
                ),
                name="invoice_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.INVOICE, credited_invoice__isnull=True)
                | Q(kind=InvoiceKind.CREDIT_NOTE, credited_invoice__isnull=False),
                name="invoice_credit_note_has_original",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="invoice_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(total=models.F("total_net") + models.F("total_vat")),
                name="invoice_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or '—'}"

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    def is_overdue(self, today: date) -> bool:
        return (
            self.kind == InvoiceKind.INVOICE
            and self.status in OPEN_STATUSES
            and self.due_date is not None
            and self.due_date < today
        )

    @property
    def overdue_today(self) -> bool:
        return self.is_overdue(timezone.localdate())

    @property
    def rf_reference(self) -> str:
        from tila.lib.payments import rf_reference

        return rf_reference(self.reference) if self.reference else ""

    @property
    def payment_reference(self) -> str:
        """The reference the payer gives: the RF form if chosen, else the national one."""
        return self.rf_reference if self.use_rf_reference else self.reference

    def computed_totals(self) -> amounts.Totals:
        lines = list(self.lines.all())
        return amounts.totals([line.as_amount() for line in lines])


VAT_CATEGORY = {
    # UNTDID 5305 codes used in e-invoices
    VatTreatment.STANDARD: "S",
    VatTreatment.EXEMPT: "E",
    VatTreatment.NOT_REGISTERED: "O",
}


class InvoiceLine(models.Model):
    """One row: what was supplied, when, how much, at what price and VAT. Never content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(_("description"), max_length=200)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    service_date = models.DateField(_("date of supply"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60)
    unit_price = models.DecimalField(_("unit price (without VAT)"), max_digits=10, decimal_places=2)
    vat_treatment = models.CharField(
        _("VAT treatment"), max_length=20, choices=VatTreatment.choices
    )
    vat_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    vat = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoice_lines"
    )
    price_line = models.ForeignKey(
        PriceLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "service_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_treatment__in=VatTreatment.values),
                name="invoice_line_vat_valid",
            ),
            models.CheckConstraint(
                condition=Q(vat_treatment=VatTreatment.STANDARD) | Q(vat_rate=0),
                name="invoice_line_zero_rate_when_not_taxed",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lt=100),
                name="invoice_line_vat_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def as_amount(self) -> amounts.Line:
        return amounts.Line(category=self.vat_treatment, rate=self.vat_rate, net=self.net)

    @property
    def vat_category(self) -> str:
        return VAT_CATEGORY[VatTreatment(self.vat_treatment)]

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


class Payment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class CertificateRelease(models.Model):
    """The supervisor lets a supervisee download her own certificate of supervision from the
    portal. Without this row the portal shows her hours but offers no certificate."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="certificate_release"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person} {self.released_at:%Y-%m-%d}"


class PaymentReminder(models.Model):
    """A payment reminder (maksumuistutus) of an overdue invoice, as it was sent: the open
    amount, the penalty interest rate and the fee are copied on it when it is made."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveIntegerField(_("reminder number"))
    reminder_date = models.DateField(_("date of the reminder"))
    original_due_date = models.DateField(_("original due date"))
    due_date = models.DateField(_("pay by"))
    open_amount = models.DecimalField(_("open amount"), max_digits=12, decimal_places=2)
    fee = models.DecimalField(
        _("reminder fee"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    penalty_interest_percent = models.DecimalField(
        _("penalty interest (%)"), max_digits=5, decimal_places=2
    )
    # The reference rate the penalty interest was built from; empty when the invoice set its own.
    reference_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    email_to = models.CharField(_("emailed to"), max_length=254, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "number"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "number"], name="reminder_number_unique"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="reminder_fee_nonneg"),
            models.CheckConstraint(condition=Q(open_amount__gt=0), name="reminder_open_positive"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("reminder_date")),
                name="reminder_due_after_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} / {self.number}"

    @property
    def amount_due(self) -> Decimal:
        return self.open_amount + self.fee

    @property
    def interest(self) -> PenaltyInterest:
        commercial = self.reference_rate is None or (
            self.penalty_interest_percent - self.reference_rate == COMMERCIAL_MARGIN
        )
        return PenaltyInterest(
            percent=self.penalty_interest_percent,
            reference_rate=self.reference_rate,
            commercial=commercial,
        )

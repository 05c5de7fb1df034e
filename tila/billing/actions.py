"""State changes of invoices: proposing one from the work done, issuing, sending (also by
email, through a background task), payments, payment reminders and credit notes. Each runs in
one transaction and raises ``BillingError`` (whose message is meant for the user) for what the
rules refuse."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.billing import amounts
from tila.billing.interest import penalty_interest
from tila.billing.models import (
    OPEN_STATUSES,
    CertificateRelease,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentReminder,
    SentVia,
)
from tila.clients.models import Organisation, Person
from tila.contracts.models import Contract, OrdererVisibility, PriceLine, PriceUnit
from tila.lib.formatting import decimal_fi
from tila.lib.payments import national_reference
from tila.lib.retry import RETRY_AFTER
from tila.meetings.models import Meeting, MeetingStatus, attendance_counts
from tila.practices.models import Practice, VatTreatment

BILLABLE_STATUSES = [MeetingStatus.HELD, MeetingStatus.CANCELLED_LATE, MeetingStatus.NO_SHOW]
ONE = Decimal(1)
# A reminder asks for payment within this many days.
REMINDER_TERMS_DAYS = 14
# The Debt Collection Act (saatavien perinnästä annettu laki 10 a §) caps a consumer's
# reminder fee; a business may be charged a reasonable one.
CONSUMER_REMINDER_FEE_MAX = Decimal("5.00")


class BillingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def vat_rate_for(treatment: str, on: date) -> Decimal:
    """The rate of a line: the general rate on the day of supply, or 0 when not taxed."""
    if treatment == VatTreatment.STANDARD:
        return amounts.standard_rate(on)
    return Decimal("0")


def effective_treatment(practice: Practice, treatment: str) -> str:
    """A seller who is not registered for VAT charges none, whatever the price line says."""
    return treatment if practice.vat_registered else VatTreatment.NOT_REGISTERED


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def billable_meetings(contract: Contract, start: date, end: date) -> list[Meeting]:
    """Held meetings and chargeable late cancellations or no-shows in the period that are
    not already on an invoice (a draft counts; a credited invoice frees its meetings)."""
    billed = InvoiceLine.objects.filter(meeting__isnull=False).exclude(
        invoice__status=InvoiceStatus.CREDITED
    )
    meetings = (
        attendance_counts(Meeting.objects.filter(contract=contract))
        .filter(status__in=BILLABLE_STATUSES)
        .exclude(pk__in=billed.values("meeting_id"))
        .order_by("start", "pk")
    )
    return [
        meeting
        for meeting in meetings
        if start <= _local_day(meeting.start) <= end and meeting.billable_share > 0
    ]


def _quantity(price_line: PriceLine, meeting: Meeting) -> Decimal:
    if price_line.unit == PriceUnit.HOUR:
        return Decimal(meeting.minutes) / Decimal(60)
    if price_line.unit == PriceUnit.UNIT_45:
        return Decimal(meeting.minutes) / Decimal(45)
    return ONE


def _detail(contract: Contract, meeting: Meeting) -> str:
    """Date and length; the participant count only if the contract tells the orderer it."""
    parts = [_("%(minutes)s min") % {"minutes": meeting.minutes}]
    if meeting.status == MeetingStatus.HELD:
        if contract.orderer_visibility != OrdererVisibility.NOTHING:
            count = getattr(meeting, "present_count", 0)
            if count:
                parts.append(_("%(count)s participants") % {"count": count})
    elif meeting.status == MeetingStatus.NO_SHOW:
        parts.append(_("no-show, %(share)s %%") % {"share": meeting.billable_share})
    else:
        parts.append(_("late cancellation, %(share)s %%") % {"share": meeting.billable_share})
    return ", ".join(parts)


@dataclass
class _Row:
    description: str
    detail: str
    service_date: date | None
    quantity: Decimal
    unit: str
    price_line: PriceLine
    contract: Contract
    meeting: Meeting | None


def _rows_for_contract(contract: Contract, start: date, end: date) -> list[_Row]:
    price_lines = list(contract.price_lines.all())
    per_meeting = [line for line in price_lines if line.unit != PriceUnit.LUMP]
    rows: list[_Row] = []
    for meeting in billable_meetings(contract, start, end):
        share = Decimal(meeting.billable_share) / Decimal(100)
        held = meeting.status == MeetingStatus.HELD
        for price_line in per_meeting:
            if price_line.is_travel and not held:
                continue  # nobody travelled to a cancelled meeting
            if price_line.unit == PriceUnit.KILOMETRE:
                continue  # kilometres are added by hand
            quantity = _quantity(price_line, meeting) * (ONE if price_line.is_travel else share)
            rows.append(
                _Row(
                    description=price_line.description,
                    detail=_detail(contract, meeting),
                    service_date=_local_day(meeting.start),
                    quantity=quantity.quantize(Decimal("0.01")),
                    unit=price_line.get_unit_display(),
                    price_line=price_line,
                    contract=contract,
                    meeting=meeting,
                )
            )
    # A lump sum is billed once per contract.
    billed_lumps = InvoiceLine.objects.filter(price_line__contract=contract).exclude(
        invoice__status=InvoiceStatus.CREDITED
    )
    for price_line in price_lines:
        if (
            price_line.unit == PriceUnit.LUMP
            and not billed_lumps.filter(price_line=price_line).exists()
        ):
            rows.append(
                _Row(
                    description=price_line.description,
                    detail="",
                    service_date=None,
                    quantity=ONE,
                    unit=price_line.get_unit_display(),
                    price_line=price_line,
                    contract=contract,
                    meeting=None,
                )
            )
    return rows


def _copy_parties(invoice: Invoice) -> None:
    practice = invoice.practice
    invoice.seller_name = practice.name
    invoice.seller_business_id = practice.business_id
    invoice.seller_vat_registered = practice.vat_registered
    invoice.seller_street_address = practice.street_address
    invoice.seller_postal_code = practice.postal_code
    invoice.seller_city = practice.city
    invoice.seller_email = practice.email
    invoice.seller_phone = practice.phone
    invoice.seller_iban = practice.iban
    invoice.seller_bic = practice.bic
    organisation = invoice.organisation
    if organisation is not None:
        invoice.buyer_name = organisation.name
        invoice.buyer_business_id = organisation.business_id
        invoice.buyer_street_address = organisation.street_address
        invoice.buyer_postal_code = organisation.postal_code
        invoice.buyer_city = organisation.city
        invoice.buyer_email = organisation.billing_email
        invoice.buyer_einvoice_address = organisation.einvoice_address
        invoice.buyer_einvoice_operator = organisation.einvoice_operator


def _contract_references(invoice: Invoice, contracts: list[Contract]) -> None:
    """The orderer's references from the contracts (the first one that has each)."""
    for field in ("buyer_reference", "order_number", "cost_centre"):
        values = [getattr(contract, field) for contract in contracts if getattr(contract, field)]
        setattr(invoice, field, values[0] if values else "")
    contacts = [contract.orderer_contact for contract in contracts if contract.orderer_contact]
    invoice.buyer_contact_name = contacts[0].name if contacts else ""


def _price_lines(invoice: Invoice, rows: list[_Row], first_position: int = 0) -> None:
    for position, row in enumerate(rows, start=first_position):
        on = row.service_date or invoice.period_end
        treatment = effective_treatment(invoice.practice, row.price_line.vat_treatment)
        InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            description=row.description,
            detail=row.detail,
            service_date=row.service_date,
            quantity=row.quantity,
            unit=row.unit,
            unit_price=row.price_line.unit_price,
            vat_treatment=treatment,
            vat_rate=vat_rate_for(treatment, on),
            net=amounts.line_net(row.quantity, row.price_line.unit_price),
            contract=row.contract,
            meeting=row.meeting,
            price_line=row.price_line,
        )


def _store_totals(invoice: Invoice) -> None:
    lines = list(invoice.lines.all())
    result = amounts.totals([line.as_amount() for line in lines])
    for line, vat in zip(lines, result.line_vat, strict=True):
        if line.vat != vat:
            line.vat = vat
            line.save(update_fields=["vat"])
    invoice.total_net = result.net
    invoice.total_vat = result.vat
    invoice.total = result.gross


@transaction.atomic
def propose_invoice(
    *,
    practice: Practice,
    contracts: list[Contract],
    organisation: Organisation | None,
    period_start: date,
    period_end: date,
    actor: User,
) -> Invoice:
    """A draft invoice from the held meetings and chargeable cancellations in the period."""
    if period_end < period_start:
        raise BillingError(_("The period must end on or after the day it starts."))
    if not contracts:
        raise BillingError(_("There is no contract to bill."))
    with translation.override("fi"):  # the invoice's own language, as printed
        rows = [
            row
            for contract in contracts
            for row in _rows_for_contract(contract, period_start, period_end)
        ]
    if not rows:
        raise BillingError(_("Nothing to bill in this period: no held or chargeable meetings."))
    buyer = organisation or contracts[0].organisation
    invoice = Invoice(
        practice=practice,
        organisation=buyer,
        period_start=period_start,
        period_end=period_end,
        payment_terms_days=contracts[0].payment_terms_days,
        created_by=actor,
    )
    _copy_parties(invoice)
    if buyer is None:
        invoice.buyer_name = contracts[0].client.name
    _contract_references(invoice, contracts)
    invoice.save()
    invoice.contracts.set(contracts)
    _price_lines(invoice, rows)
    _store_totals(invoice)
    invoice.save()
    record_event(
        actor=actor,
        practice=practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.CREATE,
        detail={"lines": len(rows)},
    )
    return invoice


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise BillingError(_("Only a draft can be changed."))


@transaction.atomic
def add_line(
    *,
    invoice: Invoice,
    description: str,
    quantity: Decimal,
    unit: str,
    unit_price: Decimal,
    vat_treatment: str,
    service_date: date | None,
) -> InvoiceLine:
    """An extra line on a draft, e.g. kilometres travelled or material."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _require_draft(invoice)
    treatment = effective_treatment(invoice.practice, vat_treatment)
    last = invoice.lines.order_by("-position").values_list("position", flat=True).first()
    line = InvoiceLine.objects.create(
        invoice=invoice,
        position=(last or 0) + 1,
        description=description,
        service_date=service_date,
        quantity=quantity,
        unit=unit,
        unit_price=unit_price,
        vat_treatment=treatment,
        vat_rate=vat_rate_for(treatment, service_date or invoice.period_end),
        net=amounts.line_net(quantity, unit_price),
    )
    _store_totals(invoice)
    invoice.save()
    return line


@transaction.atomic
def remove_line(*, line: InvoiceLine) -> None:
    invoice = Invoice.objects.select_for_update().get(pk=line.invoice_id)
    _require_draft(invoice)
    line.delete()
    _store_totals(invoice)
    invoice.save()


@transaction.atomic
def delete_draft(*, invoice: Invoice, actor: User) -> None:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _require_draft(invoice)
    record_event(
        actor=actor,
        practice=invoice.practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.DELETE,
    )
    invoice.delete()


def _next_number(practice: Practice) -> int:
    """Take the practice's next number. The counter row stays locked until the caller's
    transaction ends, so two issuers never get the same number and a rolled-back issue
    gives its number back (no gaps)."""
    InvoiceCounter.objects.get_or_create(practice=practice)
    counter = InvoiceCounter.objects.select_for_update().get(practice=practice)
    number = counter.next_number
    counter.next_number = number + 1
    counter.save(update_fields=["next_number"])
    return number


def _issue(invoice: Invoice, actor: User, today: date) -> None:
    number = _next_number(invoice.practice)
    invoice.number = number
    invoice.reference = national_reference(number)
    invoice.invoice_date = today
    invoice.due_date = today + timedelta(days=invoice.payment_terms_days)
    invoice.issued_at = timezone.now()
    invoice.issued_by = actor
    invoice.status = InvoiceStatus.ISSUED
    _copy_parties(invoice)
    _store_totals(invoice)
    invoice.save()
    record_event(
        actor=actor,
        practice=invoice.practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.UPDATE,
        detail={"issued": number},
    )


def _missing_details(invoice: Invoice) -> list[str]:
    """What the law (VAT Act 209 e §) and the bank transfer need that is not there."""
    practice = invoice.practice
    organisation = invoice.organisation
    wanted = [
        (practice.business_id, _("the practice's business ID")),
        (practice.street_address, _("the practice's street address")),
        (practice.postal_code, _("the practice's postal code")),
        (practice.city, _("the practice's city")),
        (practice.iban, _("the practice's IBAN")),
    ]
    if organisation is not None:
        wanted += [
            (organisation.street_address, _("the orderer's billing address")),
            (organisation.postal_code, _("the orderer's postal code")),
            (organisation.city, _("the orderer's city")),
        ]
    return [str(label) for value, label in wanted if not value]


@transaction.atomic
def issue_invoice(
    *, invoice: Invoice, actor: User, today: date | None = None, use_rf_reference: bool = False
) -> Invoice:
    """Give the draft its number, reference, dates and final totals."""
    invoice = Invoice.objects.select_for_update().select_related("practice").get(pk=invoice.pk)
    _require_draft(invoice)
    if not invoice.lines.exists():
        raise BillingError(_("An invoice needs at least one line."))
    if invoice.total < 0:
        raise BillingError(_("An invoice cannot have a negative total; make a credit note."))
    missing = _missing_details(invoice)
    if missing:
        raise BillingError(
            _("An invoice must show these details; add them first: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    invoice.use_rf_reference = use_rf_reference
    _issue(invoice, actor, today or timezone.localdate())
    return invoice


@transaction.atomic
def mark_sent(*, invoice: Invoice, via: str, actor: User) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.ISSUED:
        raise BillingError(_("Only an issued invoice that has not been sent can be marked sent."))
    if via not in SentVia.values:
        raise BillingError(_("Choose how the invoice was sent."))
    invoice.status = InvoiceStatus.SENT
    invoice.sent_via = via
    invoice.sent_at = timezone.now()
    invoice.save(update_fields=["status", "sent_via", "sent_at"])
    return invoice


def paid_amount(invoice: Invoice) -> Decimal:
    return sum((payment.amount for payment in invoice.payments.all()), Decimal("0.00"))


def reminder_fees(invoice: Invoice) -> Decimal:
    return sum((reminder.fee for reminder in invoice.reminders.all()), Decimal("0.00"))


def open_amount(invoice: Invoice) -> Decimal:
    """What the buyer still owes: the total and the reminder fees, less the payments."""
    return invoice.total + reminder_fees(invoice) - paid_amount(invoice)


def email_address(invoice: Invoice) -> str:
    """Where the invoice is emailed: the orderer's billing address as it is now."""
    if invoice.organisation is not None:
        return invoice.organisation.billing_email
    return invoice.buyer_email


# After this long an emailed invoice that has not gone has failed for good (every retry is
# used up), and it may be sent again.
EMAIL_GIVES_UP_AFTER = sum(RETRY_AFTER, timedelta()) + timedelta(minutes=30)


def email_pending(invoice: Invoice) -> bool:
    """Whether the invoice is queued by email and may still go (tries are left)."""
    return (
        invoice.email_queued_at is not None
        and invoice.sent_via != SentVia.EMAIL
        and timezone.now() - invoice.email_queued_at < EMAIL_GIVES_UP_AFTER
    )


def reminder_undelivered(reminder: PaymentReminder) -> bool:
    """Whether an emailed reminder has failed for good (every try used up)."""
    return (
        bool(reminder.email_to)
        and reminder.sent_at is None
        and timezone.now() - reminder.created_at >= EMAIL_GIVES_UP_AFTER
    )


@transaction.atomic
def queue_invoice_email(*, invoice: Invoice, actor: User) -> Invoice:
    """Queue the invoice's PDF to the buyer's billing address. The invoice is marked sent
    when the mail server has taken the message (``record_invoice_emailed``); a mail server
    that is down is tried again later by the task, and once every try has failed the
    invoice can be queued again."""
    from tila.billing.tasks import deliver_invoice_mail

    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invoice.pk)
    )
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        raise BillingError(_("Only an issued invoice that has not been sent can be emailed."))
    if email_pending(invoice):
        raise BillingError(_("The invoice is already on its way by email."))
    address = email_address(invoice)
    if not address:
        raise BillingError(_("The orderer has no billing email address; add it first."))
    invoice.email_to = address
    invoice.email_queued_at = timezone.now()
    invoice.save(update_fields=["email_to", "email_queued_at"])
    record_event(
        actor=actor,
        practice=invoice.practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.UPDATE,
        detail={"email": "queued"},
    )
    # Queued in this transaction (the task table is in the same database): no mail without
    # the change, and no change without its mail.
    deliver_invoice_mail.enqueue(str(invoice.uuid), 0)
    return invoice


@transaction.atomic
def record_invoice_emailed(*, invoice: Invoice) -> None:
    """The mail server took the invoice: it is sent, by email, now."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.sent_via = SentVia.EMAIL
    invoice.sent_at = timezone.now()
    if invoice.status == InvoiceStatus.ISSUED:
        invoice.status = InvoiceStatus.SENT
    invoice.save(update_fields=["status", "sent_via", "sent_at"])


@transaction.atomic
def record_payment(*, invoice: Invoice, amount: Decimal, paid_on: date, actor: User) -> Payment:
    """A payment, in full or in part; the invoice is paid when the payments cover it."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise BillingError(_("Payments are recorded on issued invoices that are not paid."))
    amount = amounts.cents(amount)
    if amount <= 0:
        raise BillingError(_("Enter an amount greater than zero."))
    outstanding = open_amount(invoice)
    if amount > outstanding:
        raise BillingError(
            _("The payment is more than the %(amount)s € still open.")
            % {"amount": decimal_fi(outstanding, 2)}
        )
    payment = Payment.objects.create(
        invoice=invoice, amount=amount, paid_on=paid_on, recorded_by=actor
    )
    invoice.status = InvoiceStatus.PAID if amount == outstanding else InvoiceStatus.PARTLY_PAID
    invoice.save(update_fields=["status"])
    record_event(
        actor=actor,
        practice=invoice.practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.UPDATE,
        detail={"payment": str(amount)},
    )
    return payment


@transaction.atomic
def credit_invoice(*, invoice: Invoice, actor: User, today: date | None = None) -> Invoice:
    """A credit note (hyvityslasku) for the whole invoice, referring to it, with its own
    number; the original becomes credited and its meetings can be billed again."""
    invoice = Invoice.objects.select_for_update().select_related("practice").get(pk=invoice.pk)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status in (
        InvoiceStatus.DRAFT,
        InvoiceStatus.CREDITED,
    ):
        raise BillingError(_("Only an issued invoice can be credited, and only once."))
    if invoice.payments.exists():
        raise BillingError(_("The invoice has payments: settle them before crediting."))
    note = Invoice.objects.get(pk=invoice.pk)
    note.pk = None
    note.id = None
    note.uuid = Invoice._meta.get_field("uuid").get_default()
    note.kind = InvoiceKind.CREDIT_NOTE
    note.credited_invoice = invoice
    note.status = InvoiceStatus.DRAFT
    note.number = None
    note.reference = ""
    note.invoice_date = None
    note.due_date = None
    note.payment_terms_days = 0
    note.sent_via = ""
    note.sent_at = None
    note.created_by = actor
    note.save()
    note.contracts.set(invoice.contracts.all())
    for line in invoice.lines.all():
        InvoiceLine.objects.create(
            invoice=note,
            position=line.position,
            description=line.description,
            detail=line.detail,
            service_date=line.service_date,
            quantity=-line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            vat_treatment=line.vat_treatment,
            vat_rate=line.vat_rate,
            net=-line.net,
            contract=line.contract,
            price_line=line.price_line,
        )
    _issue(note, actor, today or timezone.localdate())
    invoice.status = InvoiceStatus.CREDITED
    invoice.save(update_fields=["status"])
    return note


@transaction.atomic
def set_certificate_release(*, person: Person, released: bool, actor: User) -> None:
    """Let the supervisee download her certificate in the portal, or take that back."""
    if released:
        CertificateRelease.objects.get_or_create(person=person, defaults={"released_by": actor})
    else:
        CertificateRelease.objects.filter(person=person).delete()
    record_event(
        actor=actor,
        practice=person.practice,
        object_type="clients.Person",
        object_id=person.uuid,
        action=Action.SHARE if released else Action.UPDATE,
        detail={"certificate_in_portal": released},
    )


@transaction.atomic
def send_reminder(
    *, invoice: Invoice, actor: User, fee: Decimal, by_email: bool, today: date | None = None
) -> PaymentReminder:
    """A payment reminder of an overdue invoice, recorded with its date, open amount, penalty
    interest rate and fee; queued to the buyer's billing address if ``by_email``."""
    from tila.billing.tasks import deliver_reminder_mail

    today = today or timezone.localdate()
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invoice.pk)
    )
    if not invoice.is_overdue(today) or invoice.due_date is None:
        raise BillingError(_("Only an unpaid invoice past its due date can be reminded of."))
    fee = amounts.cents(fee)
    if fee < 0:
        raise BillingError(_("The reminder fee cannot be negative."))
    commercial = invoice.organisation is not None
    if not commercial and fee > CONSUMER_REMINDER_FEE_MAX:
        raise BillingError(
            _("A private person may be charged at most %(amount)s € for a reminder.")
            % {"amount": decimal_fi(CONSUMER_REMINDER_FEE_MAX, 2)}
        )
    address = email_address(invoice) if by_email else ""
    if by_email and not address:
        raise BillingError(_("The orderer has no billing email address; add it first."))
    interest = penalty_interest(invoice.penalty_interest_percent, commercial, today)
    reminder = PaymentReminder.objects.create(
        invoice=invoice,
        number=invoice.reminders.count() + 1,
        reminder_date=today,
        original_due_date=invoice.due_date,
        due_date=today + timedelta(days=REMINDER_TERMS_DAYS),
        open_amount=open_amount(invoice),
        fee=fee,
        penalty_interest_percent=interest.percent,
        reference_rate=interest.reference_rate,
        email_to=address,
        created_by=actor,
    )
    record_event(
        actor=actor,
        practice=invoice.practice,
        object_type="billing.Invoice",
        object_id=invoice.uuid,
        action=Action.UPDATE,
        detail={"reminder": reminder.number, "fee": str(fee), "email": by_email},
    )
    if by_email:
        deliver_reminder_mail.enqueue(str(reminder.uuid), 0)
    return reminder


@transaction.atomic
def record_reminder_emailed(*, reminder: PaymentReminder) -> None:
    PaymentReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())

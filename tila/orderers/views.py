from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.db.models import Case, Count, Field, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tila.audit.models import ActorRole
from tila.billing.models import Invoice, InvoiceStatus
from tila.billing.pdf import invoice_pdf
from tila.clients.access import access_contact
from tila.contracts.models import Contract, GoalVisibility, OrdererVisibility, Status
from tila.meetings.models import Attendance, Meeting, MeetingStatus
from tila.orderers import actions
from tila.orderers.access import (
    OrdererRequest,
    access_orderer_contract,
    access_orderer_invoice,
    orderer_contracts,
    orderer_invoices,
    orderer_required,
)
from tila.practices.access import PracticeRequest, member_required
from tila.statements.actions import released_statements


@member_required
@require_POST
def invite_contact(request: PracticeRequest, contact_uuid: UUID) -> HttpResponse:
    contact = access_contact(request.membership, contact_uuid)
    try:
        actions.invite_contact(contact=contact, actor=request.user)
    except actions.InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s was invited to the orderer's view by email.") % {"name": contact.name},
        )
    return redirect("organisation", contact.organisation.uuid)


@orderer_required
@require_GET
def orderer_home(request: OrdererRequest) -> HttpResponse:
    contracts = (
        orderer_contracts(request.orderer_contact)
        .annotate(
            held_count=Count("meetings", filter=Q(meetings__status=MeetingStatus.HELD)),
            ended=Case(When(status=Status.ENDED, then=Value(1)), default=Value(0)),
        )
        .order_by("ended", "-start_date", "title", "pk")
    )
    return render(
        request,
        "orderers/home.html",
        {"contact": request.orderer_contact, "contracts": contracts},
    )


@dataclass(frozen=True)
class OrdererMeeting:
    """What the orderer is told about one meeting: nothing more reaches the template."""

    start: datetime
    status: str
    status_label: str
    present: int | None = None
    recorded: int | None = None
    names: list[str] = field(default_factory=list)


def orderer_meetings(contract: Contract) -> list[OrdererMeeting]:
    """The contract's meetings, with attendance exactly as the contract allows."""
    meetings = Meeting.objects.filter(contract=contract).order_by("start", "pk")
    visibility = contract.orderer_visibility
    if visibility == OrdererVisibility.COUNTS:
        meetings = meetings.annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            recorded_count=Count("attendance"),
        )
    elif visibility == OrdererVisibility.NAMES:
        present_rows = Attendance.objects.filter(present=True).select_related("member__person")
        meetings = meetings.prefetch_related(
            Prefetch(
                "attendance",
                queryset=present_rows.order_by("member__person__name"),
                to_attr="present_rows",
            )
        )
    rows = []
    for meeting in meetings:
        held = meeting.status == MeetingStatus.HELD
        present: int | None = None
        recorded: int | None = None
        names: list[str] = []
        if held and visibility == OrdererVisibility.COUNTS:
            present = getattr(meeting, "present_count", 0)
            recorded = getattr(meeting, "recorded_count", 0)
        elif held and visibility == OrdererVisibility.NAMES:
            names = [row.member.person.name for row in getattr(meeting, "present_rows", [])]
        rows.append(
            OrdererMeeting(
                start=meeting.start,
                status=meeting.status,
                status_label=meeting.get_status_display(),
                present=present,
                recorded=recorded,
                names=names,
            )
        )
    return rows


# Agreed terms shown with the contract's own field labels.
LABELLED_FIELDS = (
    "meeting_count",
    "rhythm_weeks",
    "meeting_minutes",
    "place_kind",
    "orderer_visibility",
    "payment_terms_days",
    "buyer_reference",
    "order_number",
    "cost_centre",
    "cancellation_notice_hours",
    "late_cancellation_percent",
)


def field_labels() -> dict[str, str]:
    labels = {}
    for name in LABELLED_FIELDS:
        model_field = Contract._meta.get_field(name)
        if isinstance(model_field, Field):
            labels[name] = str(capfirst(model_field.verbose_name))
    return labels


@orderer_required
@require_GET
def orderer_contract(request: OrdererRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_orderer_contract(request.orderer_contact, contract_uuid)
    context = {
        "contact": request.orderer_contact,
        "contract": contract,
        "supervisors": list(contract.supervisors.order_by("name").values_list("name", flat=True)),
        "goals": contract.goals.filter(visibility=GoalVisibility.SHARED),
        "price_lines": contract.price_lines.all(),
        "meetings": orderer_meetings(contract),
        "labels": field_labels(),
        "shows_attendance": contract.orderer_visibility != OrdererVisibility.NOTHING,
        "orderer_statements": released_statements(
            contract, actor=request.user, role=ActorRole.ORDERER
        ),
    }
    return render(request, "orderers/contract.html", context)


@dataclass(frozen=True)
class OrdererInvoice:
    """What the orderer is told about one invoice in the list."""

    uuid: UUID
    number: int | None
    credit_note: bool
    invoice_date: date | None
    due_date: date | None
    total: Decimal
    status: str
    status_label: str


def orderer_status(invoice: Invoice, today: date) -> tuple[str, str]:
    """The payer's view of the status: whether the invoice still waits for payment is what
    matters to her, not how the practice sent it."""
    if invoice.is_overdue(today):
        return "overdue", _("Overdue")
    if invoice.is_credit_note:
        return "credited", _("Credit note")
    if invoice.status in (InvoiceStatus.ISSUED, InvoiceStatus.SENT):
        return "issued", _("Open")
    return invoice.status, invoice.get_status_display()


@orderer_required
@require_GET
def orderer_invoice_list(request: OrdererRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for invoice in orderer_invoices(request.orderer_contact).order_by("-invoice_date", "-number"):
        status, label = orderer_status(invoice, today)
        rows.append(
            OrdererInvoice(
                uuid=invoice.uuid,
                number=invoice.number,
                credit_note=invoice.is_credit_note,
                invoice_date=invoice.invoice_date,
                due_date=invoice.due_date,
                total=invoice.total,
                status=status,
                status_label=label,
            )
        )
    return render(
        request,
        "orderers/invoices.html",
        {"contact": request.orderer_contact, "invoices": rows},
    )


@orderer_required
@require_GET
def orderer_invoice_pdf(request: OrdererRequest, invoice_uuid: UUID) -> HttpResponse:
    invoice = access_orderer_invoice(request.orderer_contact, invoice_uuid)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lasku-{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

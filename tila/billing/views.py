from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.billing import actions
from tila.billing.access import (
    access_invoice,
    access_invoice_line,
    access_reminder,
    visible_invoices,
)
from tila.billing.certificates import Ledger, certificate_pdf, hours_ledger
from tila.billing.document import build_document
from tila.billing.export import invoices_csv
from tila.billing.finvoice import (
    FinvoiceInvalid,
    FinvoiceUnavailable,
    finvoice_xml,
    missing_routing,
)
from tila.billing.forms import (
    IssueForm,
    LineForm,
    PaymentForm,
    PeriodForm,
    ProposalForm,
    ReminderForm,
    SentForm,
    SupervisingLogForm,
)
from tila.billing.interest import penalty_interest
from tila.billing.kela import kela_statement, kela_statement_pdf
from tila.billing.models import CertificateRelease, Invoice, InvoiceStatus
from tila.billing.pdf import invoice_pdf, reminder_pdf
from tila.billing.reports import (
    delivery_chart,
    meetings_delivered,
    revenue_by_form,
    revenue_by_month,
    revenue_by_organisation,
)
from tila.billing.revenue import monthly_revenue
from tila.billing.supervising import (
    SupervisingLog,
    supervising_log,
    supervising_log_csv,
    supervising_log_pdf,
)
from tila.clients.access import access_person
from tila.clients.models import Organisation, Person
from tila.contracts.models import Contract, ContractQuerySet
from tila.lib.paging import paginate
from tila.practices.access import PracticeRequest, member_required
from tila.practices.models import Form


def _proposal_form(request: PracticeRequest) -> ProposalForm:
    contracts = Contract.objects.visible_to(request.membership).select_related("client")
    organisations = Organisation.objects.filter(
        practice=request.membership.practice, contracts__in=contracts
    ).distinct()
    return ProposalForm(
        request.POST or None,
        contracts=contracts,
        organisations=organisations,
        initial=request.GET.dict() if request.method == "GET" else None,
    )


@member_required
@require_GET
def invoice_list(request: PracticeRequest) -> HttpResponse:
    today = timezone.localdate()
    invoices = visible_invoices(request.membership).select_related("organisation")
    showing = request.GET.get("show", "")
    if showing == "overdue":
        invoices = invoices.overdue(today).order_by("due_date", "number")
    elif showing == "drafts":
        invoices = invoices.filter(status=InvoiceStatus.DRAFT)
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page_obj": paginate(request, invoices),
            "showing": showing,
            "today": today,
            "overdue_count": visible_invoices(request.membership).overdue(today).count(),
            "revenue": monthly_revenue(visible_invoices(request.membership), today),
        },
    )


@member_required
def new_invoice(request: PracticeRequest) -> HttpResponse:
    form = _proposal_form(request)
    if request.method == "POST" and form.is_valid():
        contract = form.cleaned_data["contract"]
        organisation = form.cleaned_data["organisation"]
        if contract is not None:
            contracts = [contract]
            organisation = contract.organisation
        else:
            contracts = list(
                Contract.objects.visible_to(request.membership).filter(organisation=organisation)
            )
        try:
            invoice = actions.propose_invoice(
                practice=request.membership.practice,
                contracts=contracts,
                organisation=organisation,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                actor=request.user,
            )
        except actions.BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A draft invoice was made from the work done."))
            return redirect("invoice", invoice.uuid)
    return render(request, "billing/new_invoice.html", {"form": form})


@member_required
def invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    return _invoice_page(request, found)


def _invoice_page(
    request: PracticeRequest,
    found: Invoice,
    *,
    line_form: LineForm | None = None,
    payment_form: PaymentForm | None = None,
    reminder_form: ReminderForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    doc = build_document(found) if not found.is_draft else None
    overdue = found.is_overdue(today)
    return render(
        request,
        "billing/invoice.html",
        {
            "invoice": found,
            "doc": doc,
            "lines": found.lines.all(),
            "totals": found.computed_totals(),
            "payments": found.payments.all(),
            "paid": actions.paid_amount(found),
            "overdue": overdue,
            "einvoice_missing": missing_routing(found) if not found.is_draft else [],
            "email_to": actions.email_address(found),
            "email_pending": actions.email_pending(found),
            "open_amount": actions.open_amount(found),
            "reminders": [
                {"reminder": reminder, "undelivered": actions.reminder_undelivered(reminder)}
                for reminder in found.reminders.all()
            ],
            "interest": penalty_interest(
                found.penalty_interest_percent, found.organisation is not None, today
            ),
            "reminder_form": reminder_form
            or ReminderForm(initial={"fee": found.practice.reminder_fee, "by_email": True}),
            "line_form": line_form or LineForm(initial={"unit": _("pcs")}),
            "issue_form": IssueForm(),
            "sent_form": SentForm(),
            "payment_form": payment_form or PaymentForm(initial={"paid_on": today}),
        },
        status=status,
    )


@member_required
@require_POST
def add_invoice_line(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    form = LineForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, found, line_form=form, status=422)
    try:
        actions.add_line(invoice=found, **form.cleaned_data)
    except actions.BillingError as error:
        messages.error(request, error.message)
    return redirect("invoice", found.uuid)


@member_required
@require_POST
def remove_invoice_line(request: PracticeRequest, invoice_line_uuid: UUID) -> HttpResponse:
    line = access_invoice_line(request.membership, invoice_line_uuid)
    try:
        actions.remove_line(line=line)
    except actions.BillingError as error:
        messages.error(request, error.message)
    return redirect("invoice", line.invoice.uuid)


@member_required
@require_POST
def delete_invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    try:
        actions.delete_draft(invoice=found, actor=request.user)
    except actions.BillingError as error:
        messages.error(request, error.message)
        return redirect("invoice", found.uuid)
    messages.success(request, _("The draft was deleted."))
    return redirect("invoice_list")


@member_required
@require_POST
def issue_invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    form = IssueForm(request.POST)
    form.is_valid()
    try:
        issued = actions.issue_invoice(
            invoice=found,
            actor=request.user,
            use_rf_reference=bool(form.cleaned_data.get("use_rf_reference")),
        )
    except actions.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invoice %(number)s was issued.") % {"number": issued.number})
    return redirect("invoice", found.uuid)


@member_required
@require_POST
def mark_invoice_sent(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    form = SentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the invoice was sent."))
        return redirect("invoice", found.uuid)
    try:
        actions.mark_sent(invoice=found, via=form.cleaned_data["via"], actor=request.user)
    except actions.BillingError as error:
        messages.error(request, error.message)
    return redirect("invoice", found.uuid)


@member_required
@require_POST
def email_invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    try:
        queued = actions.queue_invoice_email(invoice=found, actor=request.user)
    except actions.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invoice is on its way to %(address)s; it is marked sent once it has gone.")
            % {"address": queued.email_to},
        )
    return redirect("invoice", found.uuid)


@member_required
@require_GET
def overdue_invoices(request: PracticeRequest) -> HttpResponse:
    today = timezone.localdate()
    invoices = (
        visible_invoices(request.membership)
        .overdue(today)
        .select_related("organisation")
        .prefetch_related("payments", "reminders")
        .order_by("due_date", "number")
    )
    rows = [
        {
            "invoice": invoice,
            "days": (today - invoice.due_date).days if invoice.due_date else 0,
            "open": actions.open_amount(invoice),
            "reminders": list(invoice.reminders.all()),
        }
        for invoice in invoices
    ]
    return render(request, "billing/overdue.html", {"rows": rows, "today": today})


@member_required
@require_POST
def remind_invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, found, reminder_form=form, status=422)
    try:
        reminder = actions.send_reminder(invoice=found, actor=request.user, **form.cleaned_data)
    except actions.BillingError as error:
        form.add_error(None, error.message)
        return _invoice_page(request, found, reminder_form=form, status=422)
    if reminder.email_to:
        note = _("Payment reminder %(number)s is on its way to %(address)s.")
    else:
        note = _("Payment reminder %(number)s was made: download it and send it by post.")
    messages.success(request, note % {"number": reminder.number, "address": reminder.email_to})
    return redirect("invoice", found.uuid)


@member_required
def reminder_pdf_download(request: PracticeRequest, reminder_uuid: UUID) -> HttpResponse:
    reminder = access_reminder(request.membership, reminder_uuid)
    number = f"{reminder.invoice.number}-{reminder.number}"
    return _download(reminder_pdf(reminder), "application/pdf", f"maksumuistutus-{number}.pdf")


@member_required
@require_POST
def record_payment(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, found, payment_form=form, status=422)
    try:
        actions.record_payment(invoice=found, actor=request.user, **form.cleaned_data)
    except actions.BillingError as error:
        form.add_error("amount", error.message)
        return _invoice_page(request, found, payment_form=form, status=422)
    messages.success(request, _("The payment was recorded."))
    return redirect("invoice", found.uuid)


@member_required
@require_POST
def credit_invoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    try:
        note = actions.credit_invoice(invoice=found, actor=request.user)
    except actions.BillingError as error:
        messages.error(request, error.message)
        return redirect("invoice", found.uuid)
    messages.success(request, _("Credit note %(number)s was issued.") % {"number": note.number})
    return redirect("invoice", note.uuid)


def _einvoice_refusal(missing: list[str]) -> str:
    return _("E-invoices cannot be made until these are set: %(missing)s.") % {
        "missing": ", ".join(missing)
    }


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(found: Invoice) -> HttpResponse:
    return _download(invoice_pdf(found), "application/pdf", f"lasku-{found.number}.pdf")


@member_required
def invoice_pdf_download(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    if found.is_draft:
        messages.error(request, _("Issue the invoice before downloading it."))
        return redirect("invoice", found.uuid)
    return pdf_response(found)


@member_required
def invoice_finvoice(request: PracticeRequest, invoice_uuid: UUID) -> HttpResponse:
    found = access_invoice(request.membership, invoice_uuid)
    if found.is_draft:
        messages.error(request, _("Issue the invoice before downloading it."))
        return redirect("invoice", found.uuid)
    try:
        content = finvoice_xml(found)
    except FinvoiceUnavailable as unavailable:
        messages.error(request, _einvoice_refusal(unavailable.missing))
        return redirect("invoice", found.uuid)
    except FinvoiceInvalid:
        messages.error(
            request,
            _(
                "The e-invoice could not be made: check the practice's and the orderer's "
                "details (address, business ID, IBAN)."
            ),
        )
        return redirect("invoice", found.uuid)
    return _download(content, "application/xml", f"finvoice-{found.number}.xml")


def _supervisee_of(request: PracticeRequest, person_uuid: UUID) -> tuple[Person, ContractQuerySet]:
    """The person and the contracts the member sees; 404 if she is in none of them."""
    person = access_person(request.membership, person_uuid)
    contracts = Contract.objects.visible_to(request.membership)
    if not person.memberships.filter(client__contracts__in=contracts).exists():
        raise Http404
    return person, contracts


def _ledger_of(request: PracticeRequest, person_uuid: UUID) -> Ledger:
    """The person's ledger over the contracts the member sees."""
    return hours_ledger(*_supervisee_of(request, person_uuid))


@member_required
def hours_ledger_page(request: PracticeRequest, person_uuid: UUID) -> HttpResponse:
    person, contracts = _supervisee_of(request, person_uuid)
    in_therapy = contracts.filter(form=Form.THERAPY, client__members__person=person).exists()
    released = CertificateRelease.objects.filter(person=person).exists()
    return render(
        request,
        "billing/hours_ledger.html",
        {"ledger": hours_ledger(person, contracts), "in_therapy": in_therapy, "released": released},
    )


@member_required
@require_POST
def certificate_in_portal(request: PracticeRequest, person_uuid: UUID) -> HttpResponse:
    """Let her download her own certificate in the portal, or take that back."""
    person, _contracts = _supervisee_of(request, person_uuid)
    released = request.POST.get("release") == "1"
    actions.set_certificate_release(person=person, released=released, actor=request.user)
    if released:
        messages.success(request, _("She can now download her certificate in the portal."))
    else:
        messages.success(request, _("The certificate is no longer offered in the portal."))
    return redirect("hours_ledger", person.uuid)


@member_required
def kela_statement_download(request: PracticeRequest, person_uuid: UUID) -> HttpResponse:
    """The supervision statement for Kela, in Finnish (or in English with ``?lang=en``)."""
    person, contracts = _supervisee_of(request, person_uuid)
    practice = request.membership.practice
    statement = kela_statement(person, contracts, practice, timezone.localdate())
    if statement is None:
        messages.error(request, _("She is in no therapy supervision: there is nothing to state."))
        return redirect("hours_ledger", person.uuid)
    language = "en" if request.GET.get("lang") == "en" else "fi"
    content = kela_statement_pdf(statement, language)
    record_event(
        actor=request.user,
        practice=practice,
        object_type="clients.Person",
        object_id=person.uuid,
        action=Action.EXPORT,
        detail={"document": "kela_statement", "language": language},
    )
    filename = "tyonohjauslausunto" if language == "fi" else "supervision-statement"
    return _download(content, "application/pdf", f"{filename}-{statement.today}.pdf")


@member_required
def supervision_certificate(request: PracticeRequest, person_uuid: UUID) -> HttpResponse:
    ledger = _ledger_of(request, person_uuid)
    if not ledger.rows:
        messages.error(request, _("No supervision attended yet: nothing to certify."))
        return redirect("hours_ledger", ledger.person.uuid)
    content = certificate_pdf(ledger, request.membership.practice, timezone.localdate())
    record_event(
        actor=request.user,
        practice=request.membership.practice,
        object_type="clients.Person",
        object_id=ledger.person.uuid,
        action=Action.EXPORT,
        detail={"document": "supervision_certificate", "meetings": len(ledger.rows)},
    )
    return _download(content, "application/pdf", f"tyonohjaustodistus-{ledger.last_day}.pdf")


@member_required
@require_GET
def export_invoices(request: PracticeRequest) -> HttpResponse:
    """The issued invoices and credit notes the member sees, with their lines."""
    invoices = (
        visible_invoices(request.membership)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("credited_invoice")
        .prefetch_related("lines")
        .order_by("number")
    )
    record_event(
        actor=request.user,
        practice=request.membership.practice,
        object_type="billing.Invoice",
        object_id="",
        action=Action.EXPORT,
        detail={"document": "invoices_csv", "invoices": invoices.count()},
    )
    day = timezone.localdate().isoformat()
    return _download(invoices_csv(invoices), "text/csv; charset=utf-8", f"laskut-{day}.csv")


@member_required
@require_GET
def billing_reports(request: PracticeRequest) -> HttpResponse:
    """Revenue by month, orderer and form of supervision, and meetings delivered, for a period."""
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    start, end = form.period()
    invoices = visible_invoices(request.membership)
    deliveries = meetings_delivered(Contract.objects.visible_to(request.membership), start, end)
    charts = [
        revenue_by_month(invoices, start, end),
        revenue_by_organisation(invoices, start, end),
        revenue_by_form(invoices, start, end),
    ]
    return render(
        request,
        "billing/reports.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "charts": charts,
            "deliveries": deliveries,
            "delivery": delivery_chart(deliveries),
        },
    )


def _supervising_log_of(request: PracticeRequest) -> tuple[SupervisingLogForm, SupervisingLog]:
    form = SupervisingLogForm(request.GET or None, today=timezone.localdate())
    start, end = form.period()
    return form, supervising_log(request.membership, start, end, names=form.show_names())


def _log_export(request: PracticeRequest, log: SupervisingLog, document: str) -> None:
    record_event(
        actor=request.user,
        practice=request.membership.practice,
        object_type="meetings.Meeting",
        object_id="",
        action=Action.EXPORT,
        detail={"document": document, "meetings": len(log.rows), "names": log.names},
    )


@member_required
@require_GET
def supervising_log_page(request: PracticeRequest) -> HttpResponse:
    """The hours she has supervised herself, for her supervisor training."""
    form, log = _supervising_log_of(request)
    query = request.GET.urlencode()
    return render(
        request, "billing/supervising_log.html", {"form": form, "log": log, "query": query}
    )


@member_required
@require_GET
def supervising_log_csv_download(request: PracticeRequest) -> HttpResponse:
    _form, log = _supervising_log_of(request)
    _log_export(request, log, "supervising_log_csv")
    content = supervising_log_csv(log)
    return _download(content, "text/csv; charset=utf-8", f"tyonohjaustunnit-{log.end}.csv")


@member_required
@require_GET
def supervising_log_pdf_download(request: PracticeRequest) -> HttpResponse:
    _form, log = _supervising_log_of(request)
    _log_export(request, log, "supervising_log_pdf")
    content = supervising_log_pdf(log, request.membership.practice.name, timezone.localdate())
    return _download(content, "application/pdf", f"tyonohjaustunnit-{log.end}.pdf")

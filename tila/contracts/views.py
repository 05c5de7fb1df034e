from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.clients.access import access_client, access_organisation
from tila.contracts.access import (
    access_catalogue_service,
    access_contract,
    access_contract_to_change,
    access_framework_agreement,
    require_supervising,
)
from tila.contracts.actions import (
    ContractError,
    EditOutcome,
    change_status,
    create_contract,
    record_acceptance,
    save_framework_agreement,
    update_contract,
)
from tila.contracts.forms import (
    AcceptanceForm,
    ContractForm,
    FrameworkAgreementForm,
    StartFromForm,
    framework_price_formset,
    goal_formset,
    kept_rows,
    price_formset,
)
from tila.contracts.models import (
    Acceptance,
    Contract,
    ContractVersion,
    FrameworkAgreement,
    Party,
    PriceUnit,
    Status,
)
from tila.contracts.terms import build_terms, readable
from tila.lib.paging import paginate, search_query
from tila.meetings.models import COUNTED_STATUSES, Meeting
from tila.practices.access import PracticeRequest, member_required
from tila.practices.models import Membership


@member_required
def contract_list(request: PracticeRequest) -> HttpResponse:
    query = search_query(request)
    status = request.GET.get("status", "")
    used = (
        Meeting.objects.filter(contract=OuterRef("pk"), status__in=COUNTED_STATUSES)
        .order_by()
        .values("contract")
        .annotate(n=Count("id"))
        .values("n")
    )
    contracts = (
        Contract.objects.visible_to(request.membership)
        .select_related("client", "organisation", "orderer_contact")
        .annotate(meetings_used=Coalesce(Subquery(used, output_field=IntegerField()), 0))
    )
    if query:
        contracts = contracts.filter(
            Q(title__icontains=query)
            | Q(client__name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(orderer_contact__name__icontains=query)
        )
    if status in Status.values:
        contracts = contracts.filter(status=status)
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page_obj": paginate(request, contracts),
            "query": query,
            "status": status,
            "statuses": Status.choices,
        },
    )


def _uuid_param(params: QueryDict, name: str) -> UUID | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise Http404 from None


def _initial_from_query(
    membership: Membership, params: QueryDict
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Initial terms from ``?client=`` and ``?service=`` (both of the member's practice)."""
    initial: dict[str, Any] = {}
    price_lines: list[dict[str, Any]] = []
    client_uuid, service_uuid = _uuid_param(params, "client"), _uuid_param(params, "service")
    if client_uuid:
        client = access_client(membership, client_uuid)
        initial.update(client=client, organisation=client.organisation, title=client.name)
    if service_uuid:
        service = access_catalogue_service(membership, service_uuid)
        title = f"{service.name}: {initial['title']}" if "title" in initial else service.name
        initial.update(
            service=service, form=service.form, meeting_minutes=service.minutes, title=title
        )
        price_lines.append(
            {
                "description": service.name,
                "unit": PriceUnit.MEETING,
                "unit_price": service.price,
                "vat_treatment": service.vat_treatment,
            }
        )
    return initial, price_lines


def _all_valid(*forms: Any) -> bool:
    results = [form.is_valid() for form in forms]  # validate every form to show every error
    return all(results)


@member_required
@require_http_methods(["GET", "POST"])
def new_contract(request: PracticeRequest) -> HttpResponse:
    require_supervising(request.membership)
    initial, price_initial = _initial_from_query(request.membership, request.GET)
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, membership=request.membership, initial=initial)
    goals = goal_formset(data, None, extra=2)
    prices = price_formset(data, None, initial=None if data is not None else price_initial)
    if data is not None and _all_valid(form, goals, prices):
        contract = create_contract(
            practice=request.membership.practice,
            actor=request.user,
            contract=form.save(commit=False),
            supervisors=form.cleaned_data["supervisors"],
            goals=kept_rows(goals),
            price_lines=kept_rows(prices),
        )
        messages.success(request, _("The contract was saved as version 1."))
        return redirect("contract", contract.uuid)
    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "goals": goals,
            "prices": prices,
            "start_form": StartFromForm(membership=request.membership, initial=initial),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def edit_contract(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_to_change(request.membership, contract_uuid)
    if contract.status == Status.ENDED:
        messages.error(request, _("An ended contract can no longer be changed."))
        return redirect("contract", contract.uuid)
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, instance=contract, membership=request.membership)
    goals, prices = goal_formset(data, contract), price_formset(data, contract)
    if data is not None and _all_valid(form, goals, prices):
        try:
            outcome = update_contract(
                contract=form.save(commit=False),
                actor=request.user,
                supervisors=form.cleaned_data["supervisors"],
                goals=kept_rows(goals),
                price_lines=kept_rows(prices),
            )
        except ContractError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _edit_message(outcome, contract.version))
        return redirect("contract", contract.uuid)
    accepted = contract.acceptances.filter(version=contract.version).exists()
    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "goals": goals,
            "prices": prices,
            "contract": contract,
            "accepted": accepted,
        },
    )


def _edit_message(outcome: EditOutcome, version: int) -> str:
    if outcome == EditOutcome.NEW_VERSION:
        return _(
            "The changes made version %(version)s. The accepted earlier version stays as it "
            "was; the parties accept the new version again."
        ) % {"version": version}
    if outcome == EditOutcome.UNCHANGED:
        return _("Nothing in the terms changed.")
    return _("The contract was saved.")


def _parties(contract: Contract, number: int) -> list[tuple[str, str, Acceptance | None]]:
    """Each party of the contract with its acceptance of the given version, if any."""
    accepted = {a.party: a for a in Acceptance.objects.filter(contract=contract, version=number)}
    return [
        (value, str(label), accepted.get(value))
        for value, label in Party.choices
        if value != Party.ORDERER or contract.organisation_id is not None
    ]


def _contract_page(
    request: PracticeRequest, contract: Contract, accept_form: AcceptanceForm
) -> HttpResponse:
    meetings = (
        Meeting.objects.filter(contract=contract)
        .with_ordinal()
        .select_related("contract", "supervisor")
    )
    snapshots = {v.number: v for v in contract.versions.only("number", "created_at")}
    return render(
        request,
        "contracts/contract.html",
        {
            "contract": contract,
            "terms": build_terms(contract),
            "parties": _parties(contract, contract.version),
            "accept_form": accept_form,
            "can_change": request.membership.supervises and contract.status != Status.ENDED,
            "writes_notes": contract.is_supervised_by(request.membership),
            "next_statuses": [(s.value, s.label) for s in Status if contract.can_become(s)],
            "meetings": meetings,
            "events": contract.events.select_related("actor")[:200],
            "versions": [(n, snapshots.get(n)) for n in range(contract.version, 0, -1)],
        },
    )


@member_required
def contract(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    found = access_contract(request.membership, contract_uuid)
    return _contract_page(request, found, AcceptanceForm(contract=found))


@member_required
@require_POST
def accept_contract(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    found = access_contract_to_change(request.membership, contract_uuid)
    form = AcceptanceForm(request.POST, contract=found)
    if not form.is_valid():
        return _contract_page(request, found, form)
    try:
        record_acceptance(contract=found, actor=request.user, **form.cleaned_data)
    except ContractError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The acceptance was recorded."))
    return redirect("contract", found.uuid)


@member_required
@require_POST
def change_contract_status(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    found = access_contract_to_change(request.membership, contract_uuid)
    try:
        changed = change_status(
            contract=found, actor=request.user, status=request.POST.get("status", "")
        )
    except ContractError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The contract is now “%(status)s”.") % {"status": changed.get_status_display()},
        )
    return redirect("contract", found.uuid)


def _document(
    request: PracticeRequest, contract: Contract, terms: dict[str, Any], number: int
) -> HttpResponse:
    return render(
        request,
        "contracts/contract_print.html",
        {
            "contract": contract,
            "terms": terms,
            "number": number,
            "is_current": number == contract.version,
            "parties": _parties(contract, number),
        },
    )


@member_required
def contract_print(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    found = access_contract(request.membership, contract_uuid)
    return _document(request, found, build_terms(found), found.version)


@member_required
def contract_version(request: PracticeRequest, contract_uuid: UUID, number: int) -> HttpResponse:
    found = access_contract(request.membership, contract_uuid)
    snapshot = ContractVersion.objects.filter(contract=found, number=number).first()
    if snapshot is not None:
        return _document(request, found, readable(snapshot.terms), number)
    if number == found.version:  # a contract made before snapshots: its current terms
        return _document(request, found, build_terms(found), number)
    raise Http404


@member_required
@require_http_methods(["GET", "POST"])
def new_framework_agreement(request: PracticeRequest, organisation_uuid: UUID) -> HttpResponse:
    organisation = access_organisation(request.membership, organisation_uuid)
    agreement = FrameworkAgreement(practice=request.membership.practice, organisation=organisation)
    return _framework_agreement_form(request, agreement)


@member_required
@require_http_methods(["GET", "POST"])
def edit_framework_agreement(request: PracticeRequest, agreement_uuid: UUID) -> HttpResponse:
    agreement = access_framework_agreement(request.membership, agreement_uuid)
    return _framework_agreement_form(request, agreement)


def _framework_agreement_form(
    request: PracticeRequest, agreement: FrameworkAgreement
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = FrameworkAgreementForm(data, instance=agreement)
    prices = framework_price_formset(data, agreement if agreement.pk else None)
    if data is not None and _all_valid(form, prices):
        saved = save_framework_agreement(
            agreement=form.save(commit=False), price_lines=kept_rows(prices)
        )
        messages.success(request, _("The framework agreement was saved."))
        return redirect("framework_agreement", saved.uuid)
    return render(
        request,
        "contracts/framework_agreement_form.html",
        {"form": form, "prices": prices, "agreement": agreement},
    )


@member_required
def framework_agreement(request: PracticeRequest, agreement_uuid: UUID) -> HttpResponse:
    agreement = access_framework_agreement(request.membership, agreement_uuid)
    contracts = Contract.objects.visible_to(request.membership).filter(
        framework_agreement=agreement
    )
    return render(
        request,
        "contracts/framework_agreement.html",
        {
            "agreement": agreement,
            "price_lines": agreement.price_lines.all(),
            "contracts": contracts.select_related("client"),
            "valid_today": agreement.is_valid_on(timezone.localdate()),
        },
    )

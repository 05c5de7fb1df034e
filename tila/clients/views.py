from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.clients import actions
from tila.clients.access import (
    access_client,
    access_client_member,
    access_contact,
    access_organisation,
)
from tila.clients.forms import (
    MEMBER_ROWS_GROUP,
    MEMBER_ROWS_MAX,
    AddMemberForm,
    ClientForm,
    ContactForm,
    LeaveForm,
    NewClientForm,
    OrganisationForm,
    member_formset,
)
from tila.clients.models import Client, ClientKind, ClientMember, Organisation
from tila.contracts.models import Contract
from tila.lib.paging import paginate, search_query
from tila.practices.access import PracticeRequest, member_required


@member_required
def organisation_list(request: PracticeRequest) -> HttpResponse:
    query = search_query(request)
    organisations = (
        Organisation.objects.in_practice(request.membership.practice)
        .annotate(
            contact_count=Count("contacts", distinct=True),
            client_count=Count("clients", distinct=True),
        )
        .order_by("name", "pk")
    )
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(business_id__icontains=query) | Q(city__icontains=query)
        )
    return render(
        request,
        "clients/organisation_list.html",
        {"page_obj": paginate(request, organisations), "query": query},
    )


@member_required
@require_http_methods(["GET", "POST"])
def new_organisation(request: PracticeRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        organisation.practice = request.membership.practice
        organisation.save()
        messages.success(request, _("The orderer was added."))
        return redirect("organisation", organisation.uuid)
    return render(request, "clients/organisation_form.html", {"form": form})


@member_required
def organisation(request: PracticeRequest, organisation_uuid: UUID) -> HttpResponse:
    org = access_organisation(request.membership, organisation_uuid)
    return render(
        request,
        "clients/organisation.html",
        {
            "organisation": org,
            "contacts": org.contacts.select_related("orderer_account"),
            "clients": org.clients.all(),
            "contact_form": ContactForm(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def edit_organisation(request: PracticeRequest, organisation_uuid: UUID) -> HttpResponse:
    org = access_organisation(request.membership, organisation_uuid)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The orderer's details were saved."))
        return redirect("organisation", org.uuid)
    return render(request, "clients/organisation_form.html", {"form": form, "organisation": org})


@member_required
@require_http_methods(["GET", "POST"])
def new_contact(request: PracticeRequest, organisation_uuid: UUID) -> HttpResponse:
    org = access_organisation(request.membership, organisation_uuid)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.organisation = org
        actions.save_contact(contact=contact, actor=request.user)
        messages.success(request, _("The contact person was added."))
        return redirect("organisation", org.uuid)
    return render(request, "clients/contact_form.html", {"form": form, "organisation": org})


@member_required
@require_http_methods(["GET", "POST"])
def edit_contact(request: PracticeRequest, contact_uuid: UUID) -> HttpResponse:
    contact = access_contact(request.membership, contact_uuid)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        actions.save_contact(contact=form.save(commit=False), actor=request.user)
        messages.success(request, _("The contact person was saved."))
        return redirect("organisation", contact.organisation.uuid)
    return render(
        request,
        "clients/contact_form.html",
        {"form": form, "organisation": contact.organisation, "contact": contact},
    )


def _count(rows: QuerySet[Any]) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``rows``, which are filtered by ``client=OuterRef("pk")``."""
    counted = rows.order_by().values("client").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@member_required
def client_list(request: PracticeRequest) -> HttpResponse:
    query = search_query(request)
    membership = request.membership
    clients = (
        Client.objects.in_practice(membership.practice)
        .select_related("organisation")
        .order_by("name", "pk")
        .annotate(
            member_count=_count(
                ClientMember.objects.filter(client=OuterRef("pk"), left_on__isnull=True)
            ),
            open_contract_count=_count(
                Contract.objects.visible_to(membership).open().filter(client=OuterRef("pk"))
            ),
        )
    )
    if query:
        member_matches = ClientMember.objects.filter(
            client=OuterRef("pk"), person__name__icontains=query
        )
        clients = clients.filter(
            Q(name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Exists(member_matches)
        )
    return render(
        request,
        "clients/client_list.html",
        {"page_obj": paginate(request, clients), "query": query},
    )


def _new_client_start(request: PracticeRequest) -> tuple[dict[str, Any], int]:
    """Initial values from ``?kind=`` and ``?organisation=``, and how many empty member rows."""
    initial: dict[str, Any] = {}
    kind = request.GET.get("kind", "")
    if kind in ClientKind.values:
        initial["kind"] = kind
    try:
        organisation_uuid = UUID(request.GET.get("organisation", ""))
    except ValueError:
        pass
    else:
        initial["organisation"] = access_organisation(request.membership, organisation_uuid)
    rows = request.GET.get("rows", "")
    if kind == ClientKind.INDIVIDUAL:
        return initial, 1
    return initial, int(rows) if rows.isdecimal() and len(rows) <= 3 else MEMBER_ROWS_GROUP


@member_required
@require_http_methods(["GET", "POST"])
def new_client(request: PracticeRequest) -> HttpResponse:
    practice = request.membership.practice
    initial, rows = _new_client_start(request)
    members = member_formset(request.POST or None, rows=rows)
    form = NewClientForm(request.POST or None, practice=practice, members=members, initial=initial)
    if request.method == "POST" and form.is_valid() and members.is_valid():
        new = actions.create_client(
            practice=practice,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            organisation=form.cleaned_data["organisation"],
            description=form.cleaned_data["description"],
            members=members.new_people(),
            joined_on=form.cleaned_data["members_since"],
            actor=request.user,
        )
        messages.success(request, _("The client was added."))
        return redirect("client", new.uuid)
    more_rows = min(members.total_form_count() + 10, MEMBER_ROWS_MAX)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "members": members, "more_rows": more_rows},
    )


@member_required
def client(request: PracticeRequest, client_uuid: UUID) -> HttpResponse:
    obj = access_client(request.membership, client_uuid)
    members = list(obj.members.select_related("person"))
    former = [member for member in members if member.left_on is not None]
    former.sort(key=lambda member: (member.left_on, member.person.name), reverse=True)
    contracts = (
        Contract.objects.visible_to(request.membership)
        .filter(client=obj)
        .order_by("-start_date", "title")
    )
    actions.read_client(client=obj, actor=request.user, people=len(members))
    return render(
        request,
        "clients/client.html",
        {
            "client": obj,
            "current_members": [member for member in members if member.left_on is None],
            "former_members": former,
            "contracts": contracts,
            "today": timezone.localdate(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def edit_client(request: PracticeRequest, client_uuid: UUID) -> HttpResponse:
    obj = access_client(request.membership, client_uuid)
    form = ClientForm(request.POST or None, instance=obj, practice=request.membership.practice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The client's details were saved."))
        return redirect("client", obj.uuid)
    return render(request, "clients/client_form.html", {"form": form, "client": obj})


@member_required
@require_http_methods(["GET", "POST"])
def add_client_member(request: PracticeRequest, client_uuid: UUID) -> HttpResponse:
    obj = access_client(request.membership, client_uuid)
    form = AddMemberForm(request.POST or None, client=obj)
    if request.method == "POST" and form.is_valid():
        member = actions.add_member(
            client=obj,
            person=form.cleaned_data["person"],
            new_person=form.new_person(),
            joined_on=form.cleaned_data["joined_on"],
            actor=request.user,
        )
        messages.success(request, _("%(name)s joined the client.") % {"name": member.person.name})
        return redirect("client", obj.uuid)
    return render(request, "clients/member_form.html", {"form": form, "client": obj})


@member_required
@require_POST
def end_client_membership(request: PracticeRequest, member_uuid: UUID) -> HttpResponse:
    member = access_client_member(request.membership, member_uuid)
    form = LeaveForm(request.POST, member=member)
    if form.is_valid():
        actions.end_membership(
            member=member, left_on=form.cleaned_data["left_on"], actor=request.user
        )
        messages.success(request, _("%(name)s left the client.") % {"name": member.person.name})
        return redirect("client", member.client.uuid)
    return render(request, "clients/member_leave.html", {"form": form, "member": member})

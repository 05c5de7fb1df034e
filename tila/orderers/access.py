"""The doorway to the orderer's view, and what an orderer contact may see.

Only a user with an ``OrdererAccount`` gets in; everyone else (members of a practice too)
gets 404, which ``tila.audit.middleware`` writes to the audit log. A contact sees the
contracts of her own organisation only."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tila.accounts.models import User
from tila.billing.models import Invoice, InvoiceQuerySet, InvoiceStatus
from tila.clients.models import Contact
from tila.contracts.models import Contract, ContractQuerySet
from tila.orderers.models import OrdererAccount

View = TypeVar("View", bound=Callable[..., HttpResponse])


class OrdererRequest(HttpRequest):
    """A request from an orderer contact; ``orderer_contact`` is set by ``orderer_required``."""

    user: User
    orderer_contact: Contact


def orderer_required(view: View) -> View:
    """Log in, then require an orderer's account; sets ``request.orderer_contact``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = (
            OrdererAccount.objects.filter(user=cast(User, request.user))
            .select_related("contact__organisation__practice")
            .first()
        )
        if account is None:
            raise Http404
        request.orderer_contact = account.contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return login_required(wrapper)  # type: ignore[return-value]


def orderer_contracts(contact: Contact) -> ContractQuerySet:
    """The contracts ordered by the contact's organisation, in the same practice."""
    return Contract.objects.filter(
        practice_id=contact.organisation.practice_id, organisation_id=contact.organisation_id
    )


def access_orderer_contract(contact: Contact, contract_uuid: UUID) -> Contract:
    """The contract, if the contact's organisation ordered it; 404 otherwise."""
    return get_object_or_404(
        orderer_contracts(contact).select_related("client", "organisation"), uuid=contract_uuid
    )


def orderer_invoices(contact: Contact) -> InvoiceQuerySet:
    """The invoices and credit notes issued to the contact's organisation; drafts are the
    practice's own work and stay hidden."""
    return Invoice.objects.filter(
        practice_id=contact.organisation.practice_id, organisation_id=contact.organisation_id
    ).exclude(status=InvoiceStatus.DRAFT)


def access_orderer_invoice(contact: Contact, invoice_uuid: UUID) -> Invoice:
    """The issued invoice, if it was issued to the contact's organisation; 404 otherwise."""
    return get_object_or_404(orderer_invoices(contact), uuid=invoice_uuid)

"""Access helpers for contracts: 404 for what the member may not see.

Owners and assistants see the practice's contracts, a supervisor her own. Only those who
supervise (owner and supervisor roles) change contracts; an assistant reads them (403)."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tila.contracts.models import Contract, FrameworkAgreement
from tila.practices.models import Membership, Service


def access_contract(membership: Membership, contract_uuid: UUID) -> Contract:
    """The contract, if it is in the member's practice and visible to her role."""
    return get_object_or_404(
        Contract.objects.visible_to(membership).select_related(
            "client", "organisation", "orderer_contact", "service"
        ),
        uuid=contract_uuid,
    )


def require_supervising(membership: Membership) -> None:
    """Raise PermissionDenied unless the member supervises (owner or supervisor role)."""
    if not membership.supervises:
        raise PermissionDenied


def access_contract_to_change(membership: Membership, contract_uuid: UUID) -> Contract:
    """The contract, if the member may see it (else 404) and change it (else 403)."""
    contract = access_contract(membership, contract_uuid)
    require_supervising(membership)
    return contract


def access_catalogue_service(membership: Membership, service_uuid: UUID) -> Service:
    """A service of the member's own practice's catalogue."""
    return get_object_or_404(
        Service.objects.filter(practice=membership.practice), uuid=service_uuid
    )


def access_framework_agreement(membership: Membership, agreement_uuid: UUID) -> FrameworkAgreement:
    """A framework agreement of the member's practice (every member sees the orderers)."""
    return get_object_or_404(
        FrameworkAgreement.objects.in_practice(membership.practice).select_related("organisation"),
        uuid=agreement_uuid,
    )

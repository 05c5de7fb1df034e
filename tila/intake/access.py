"""Access to inquiries and the practice's availability: 404 for anything outside the member's
practice. Every member sees the inquiries and their logistics; only those who supervise read
the need in the asker's words and turn an inquiry into a contract (an assistant gets 403)."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from tila.contracts.access import require_supervising
from tila.intake.models import Availability, Inquiry, InquiryQuerySet
from tila.practices.models import Membership, Role


def visible_inquiries(membership: Membership) -> InquiryQuerySet:
    return Inquiry.objects.filter(practice=membership.practice).select_related("contract")


def access_inquiry(membership: Membership, inquiry_uuid: UUID) -> Inquiry:
    """One of the practice's inquiries."""
    return get_object_or_404(
        Inquiry.objects.filter(practice=membership.practice).select_related("practice", "contract"),
        uuid=inquiry_uuid,
    )


def access_inquiry_to_handle(membership: Membership, inquiry_uuid: UUID) -> Inquiry:
    """The inquiry (else 404), if the member supervises (else 403)."""
    inquiry = access_inquiry(membership, inquiry_uuid)
    require_supervising(membership)
    return inquiry


def practice_availability(membership: Membership) -> Availability:
    """The practice's availability, made on first use with the owner as the supervisor."""
    practice = membership.practice
    existing = Availability.objects.filter(practice=practice).first()
    if existing is not None:
        return existing
    owner = practice.memberships.filter(role=Role.OWNER).select_related("user").first()
    supervisor = owner.user if owner else membership.user
    availability, _created = Availability.objects.get_or_create(
        practice=practice, defaults={"supervisor": supervisor}
    )
    return availability

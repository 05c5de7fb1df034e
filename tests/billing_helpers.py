"""Invoices made from held meetings, through the same actions the views use."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from tests.factories import World, at, make_meeting
from tila.billing.actions import issue_invoice, propose_invoice
from tila.billing.models import Invoice
from tila.clients.models import Organisation
from tila.meetings.models import Attendance, MeetingStatus
from tila.practices.models import Practice


def hold_meetings(world: World, count: int = 3, late_cancellations: int = 1) -> None:
    """``count`` held meetings in September–October 2026 (with attendance) and late
    cancellations after them."""
    members = list(world.client.members.all())
    for index in range(count + late_cancellations):
        meeting = make_meeting(world.contract, world.owner, at(2026, 9, 1 + 7 * index, 13))
        if index < count:
            meeting.status = MeetingStatus.HELD
            meeting.save()
            for number, member in enumerate(members):
                Attendance.objects.create(meeting=meeting, member=member, present=number != 0)
        else:
            meeting.status = MeetingStatus.CANCELLED_LATE
            meeting.cancelled_at = timezone.now()
            meeting.save()


def give_addresses(practice: Practice, organisation: Organisation | None) -> None:
    """The addresses an invoice must show (the factories leave them empty)."""
    practice.street_address = "Hämeenkatu 1 A 5"
    practice.postal_code = "33100"
    practice.email = "anna@tyonohjausaalto.example"
    practice.phone = "040 123 4567"
    practice.einvoice_address = "003724281353"
    practice.einvoice_operator = "003723327487"
    practice.save()
    if organisation is not None:
        organisation.street_address = "Aleksis Kiven katu 14–16"
        organisation.postal_code = "33210"
        organisation.billing_email = "laskut@tampere.example"
        organisation.einvoice_address = "003702116752"
        organisation.einvoice_operator = "003703575029"
        organisation.save()


def address_organisation(world: World) -> None:
    give_addresses(world.practice, world.organisation)
    contract = world.contract
    contract.buyer_reference = "Kaisa Esimies / Varhaiskasvatus"
    contract.order_number = "PO-2026-0457"
    contract.cost_centre = "4410 Kuusela"
    contract.save()


def issued_invoice(world: World, today: date = date(2026, 10, 31)) -> Invoice:
    hold_meetings(world)
    address_organisation(world)
    draft = propose_invoice(
        practice=world.practice,
        contracts=[world.contract],
        organisation=None,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 10, 31),
        actor=world.owner,
    )
    return issue_invoice(invoice=draft, actor=world.owner, today=today)


MEETING_PRICE = Decimal("240.00")

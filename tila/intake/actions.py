"""Inquiries, bookings and turning an inquiry into a client and a trial contract.

Each function is one transaction. Mail goes out after the commit, and a mail server that
fails is logged without undoing what was saved or breaking the visitor's page."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import ActorRole
from tila.clients.actions import NewPerson, create_client
from tila.clients.models import ClientKind, Contact, Organisation
from tila.contracts.actions import create_contract
from tila.contracts.models import (
    DEFAULT_CONFIDENTIALITY,
    DEFAULT_DISSATISFACTION,
    DEFAULT_INTERRUPTION,
    Contract,
    PlaceKind,
    PriceLine,
    PriceUnit,
    Status,
)
from tila.intake.models import (
    Asker,
    Availability,
    Booking,
    DayOff,
    ForWhom,
    Inquiry,
    InquiryStatus,
    Mode,
    WeeklyHours,
)
from tila.intake.slots import is_free
from tila.intake.tasks import send_crisis_alert
from tila.keys.sealing import seal, unseal
from tila.meetings.busy import hold_supervisors_time
from tila.practices.models import Form, Membership, Practice, Role, Service

logger = logging.getLogger(__name__)

# A trial (kartoitus) is 1–3 meetings; a crisis series a few meetings within a few weeks.
TRIAL_MEETINGS = 2
CRISIS_MEETINGS = 3
CRISIS_RHYTHM_WEEKS = 1

CLIENT_KIND = {
    ForWhom.PERSON: ClientKind.INDIVIDUAL,
    ForWhom.GROUP: ClientKind.GROUP,
    ForWhom.TEAM: ClientKind.TEAM,
    ForWhom.COMMUNITY: ClientKind.COMMUNITY,
}
DEFAULT_FORM = {
    ForWhom.PERSON: Form.INDIVIDUAL,
    ForWhom.GROUP: Form.GROUP,
    ForWhom.TEAM: Form.TEAM,
    ForWhom.COMMUNITY: Form.COMMUNITY,
}
PLACE_KIND = {Mode.REMOTE: PlaceKind.REMOTE, Mode.ON_SITE: PlaceKind.ON_SITE}


class SlotTaken(Exception):
    """The slot was booked by someone else a moment ago, or is no longer free."""


@dataclass(frozen=True)
class InquiryDetails:
    asker: str
    name: str
    email: str
    for_whom: str
    need: str
    mode: str
    organisation: str = ""
    phone: str = ""
    group_size: int | None = None
    form: str = ""
    preferred_times: str = ""
    event_at: datetime | None = None


def supervisors_of(practice: Practice) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            practice=practice, role__in=[Role.OWNER, Role.SUPERVISOR]
        ).select_related("user")
    ]


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _mail(subject: str, template: str, context: dict[str, object], to: Sequence[str]) -> None:
    """Send one plain-text mail; a failure is logged, never raised to the visitor."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    try:
        body = render_to_string(template, context)
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not send %s to %d recipient(s)", template, len(recipients))


def _after_commit(subject: str, template: str, context: dict[str, object], to: list[str]) -> None:
    language = translation.get_language()

    def send() -> None:
        with translation.override(language):
            _mail(subject, template, context, to)

    transaction.on_commit(send)


def submit_inquiry(*, practice: Practice, details: InquiryDetails) -> Inquiry:
    """Store an inquiry (its need sealed), confirm it to the asker and, for a crisis, alert
    the practice's supervisors at once."""
    with transaction.atomic():
        inquiry = Inquiry(
            practice=practice,
            asker=details.asker,
            name=details.name,
            organisation=details.organisation,
            email=details.email,
            phone=details.phone,
            for_whom=details.for_whom,
            group_size=details.group_size,
            form=details.form,
            preferred_times=details.preferred_times,
            mode=details.mode,
            is_crisis=details.event_at is not None,
            event_at=details.event_at,
        )
        inquiry.need = seal(practice, details.need, context=inquiry.need_context)
        inquiry.save()
        record_event(
            actor=None,
            practice=practice,
            object_type="intake.Inquiry",
            object_id=inquiry.uuid,
            action="create",
            role=ActorRole.ANONYMOUS,
            detail={"crisis": inquiry.is_crisis},
        )
        # The confirmation repeats nothing the visitor wrote: the address is not verified,
        # and the form must not become a way to send text to strangers.
        _after_commit(
            _("We received your inquiry"),
            "intake/email/inquiry_received.txt",
            {"practice": practice, "crisis": inquiry.is_crisis},
            [inquiry.email],
        )
        if inquiry.is_crisis:
            # Queued in this transaction: the worker sends it, and retries a failing server.
            send_crisis_alert.enqueue(str(inquiry.uuid), translation.get_language(), 0)
    return inquiry


def read_need(inquiry: Inquiry, *, actor: User) -> str:
    """The need in the asker's words. Every call is one read in the audit log."""
    text = unseal(inquiry.practice, inquiry.need, context=inquiry.need_context)
    record_event(
        actor=actor,
        practice=inquiry.practice,
        object_type="intake.Inquiry",
        object_id=inquiry.uuid,
        action="read",
    )
    return text


def book_slot(
    *,
    availability: Availability,
    start: datetime,
    name: str,
    email: str,
    organisation: str = "",
    phone: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book the free slot that starts at ``start``, or raise ``SlotTaken``.

    The availability row is locked so that bookings for one supervisor queue, and her own
    row so that a meeting being planned for the same time waits too (PostgreSQL; SQLite
    transactions begin IMMEDIATE); the partial unique constraint on the supervisor's start
    time is the guarantee underneath for bookings, whatever the isolation."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = Availability.objects.select_for_update().get(pk=availability.pk)
            hold_supervisors_time(locked.supervisor_id)
            slot = is_free(locked, start, now) if locked.booking_open else None
            if slot is None:
                raise SlotTaken
            booking = Booking.objects.create(
                practice=locked.practice,
                supervisor=locked.supervisor,
                start=slot[0],
                end=slot[1],
                name=name,
                organisation=organisation,
                email=email,
                phone=phone,
            )
            context = {"booking": booking, "practice": locked.practice, "how": locked.how}
            _after_commit(
                _("Your first conversation is booked"),
                "intake/email/booking_confirmed.txt",
                context,
                [booking.email],
            )
            _after_commit(
                _("New booking: %(name)s") % {"name": " ".join(booking.name.split())},
                "intake/email/booking_to_supervisor.txt",
                context,
                [locked.supervisor.email],
            )
    except IntegrityError as error:
        if "booking_one_per_slot" in str(error) or "UNIQUE" in str(error).upper():
            raise SlotTaken from error
        raise
    return booking


def _service_for(practice: Practice, form: str) -> Service | None:
    return practice.services.filter(form=form, active=True).order_by("minutes").first()


def convert_inquiry(
    *,
    inquiry: Inquiry,
    actor: User,
    client_name: str,
    title: str,
    meeting_count: int,
    start_date: date,
) -> Contract:
    """Turn the inquiry into a client (with its orderer and contact person, or the asking
    person as the client's member) and a trial contract, keeping the inquiry's facts: the
    form, the place, the preferred times, and a crisis series for a crisis."""
    with transaction.atomic():
        stored = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if stored.contract_id is not None or stored.status == InquiryStatus.CONVERTED:
            raise ValueError(_("A contract has already been made from this inquiry."))
        practice = stored.practice
        organisation = None
        contact = None
        if stored.asker == Asker.ORGANISATION and stored.organisation:
            organisation = Organisation.objects.create(
                practice=practice, name=stored.organisation, billing_email=""
            )
            contact = Contact.objects.create(
                organisation=organisation, name=stored.name, email=stored.email, phone=stored.phone
            )
        members = []
        if stored.for_whom == ForWhom.PERSON and stored.asker == Asker.PERSON:
            members = [NewPerson(name=stored.name, email=stored.email, phone=stored.phone)]
        client = create_client(
            practice=practice,
            kind=CLIENT_KIND[ForWhom(stored.for_whom)],
            name=client_name,
            organisation=organisation,
            members=members,
        )
        form = (
            Form.CRISIS
            if stored.is_crisis
            else stored.form or DEFAULT_FORM[ForWhom(stored.for_whom)]
        )
        service = _service_for(practice, form)
        received = timezone.localtime(stored.created_at)
        scheduling = [_("From the inquiry of %(day)s.") % {"day": received.strftime("%-d.%-m.%Y")}]
        if stored.preferred_times:
            scheduling.append(_("Preferred times: %(times)s") % {"times": stored.preferred_times})
        if stored.is_crisis and stored.event_at:
            event = timezone.localtime(stored.event_at)
            scheduling.append(
                _("Crisis: the event was on %(when)s; debriefing 24–72 hours after it.")
                % {"when": event.strftime("%-d.%-m.%Y %H.%M")}
            )
        contract = Contract(
            client=client,
            organisation=organisation,
            orderer_contact=contact,
            service=service,
            title=title,
            form=form,
            status=Status.TRIAL,
            start_date=start_date,
            meeting_count=meeting_count,
            meeting_minutes=service.minutes if service else (120 if stored.is_crisis else 90),
            rhythm_weeks=CRISIS_RHYTHM_WEEKS if stored.is_crisis else 3,
            end_date=start_date + timedelta(weeks=6) if stored.is_crisis else None,
            scheduling="\n".join(scheduling),
            place_kind=PLACE_KIND.get(Mode(stored.mode), PlaceKind.ON_SITE),
            confidentiality=str(DEFAULT_CONFIDENTIALITY),
            interruption_procedure=str(DEFAULT_INTERRUPTION),
            dissatisfaction_procedure=str(DEFAULT_DISSATISFACTION),
        )
        price_lines = []
        if service is not None:
            price_lines = [
                PriceLine(
                    description=service.name,
                    unit=PriceUnit.MEETING,
                    unit_price=service.price,
                    vat_treatment=service.vat_treatment,
                )
            ]
        supervisors = supervisors_of(practice)
        supervisor = actor if actor in supervisors else supervisors[0]
        create_contract(
            practice=practice,
            actor=actor,
            contract=contract,
            supervisors=[supervisor],
            goals=[],
            price_lines=price_lines,
        )
        stored.contract = contract
        stored.status = InquiryStatus.CONVERTED
        stored.save(update_fields=["contract", "status"])
    return contract


def save_availability(
    *,
    availability: Availability,
    hours: Sequence[tuple[int, time, time]],
    days_off: Sequence[tuple[date, date]],
) -> Availability:
    """Save the availability (already carrying the form's changes) with exactly these weekly
    hours and days off."""
    with transaction.atomic():
        availability.save()
        availability.weekly_hours.all().delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(availability=availability, weekday=day, starts=starts, ends=ends)
            for day, starts, ends in hours
        )
        availability.days_off.all().delete()
        DayOff.objects.bulk_create(
            DayOff(availability=availability, first_day=first, last_day=last)
            for first, last in days_off
        )
    return availability


def set_inquiry_status(*, inquiry: Inquiry, status: str) -> Inquiry:
    if status not in (InquiryStatus.NEW, InquiryStatus.CONTACTED, InquiryStatus.CLOSED):
        raise ValueError(status)
    with transaction.atomic():
        stored = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if stored.status == InquiryStatus.CONVERTED:
            raise ValueError(_("A contract has already been made from this inquiry."))
        stored.status = status
        stored.save(update_fields=["status"])
    return stored

"""The practice's public page: profile, services, inquiries, bookings and privacy notice.

Every view here is public (no login); the practice must have published its page."""

from datetime import date
from itertools import groupby
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tila.intake.actions import InquiryDetails, SlotTaken, book_slot, submit_inquiry
from tila.intake.slots import Slot, free_slots
from tila.practices.models import Form, Membership, Practice, Role
from tila.public.access import availability_of, public_booking, published_practice
from tila.public.forms import BookingForm, InquiryForm
from tila.public.spam import rate_limited

RETENTION_MONTHS_DEFAULT = 12
FINANCIAL_RECORDS_YEARS = 6


def _profile(practice: Practice) -> dict[str, object]:
    services = sorted(
        practice.services.filter(active=True),
        key=lambda service: (Form.values.index(service.form), service.minutes, service.name),
    )
    offered = sorted({service.form for service in services}, key=Form.values.index)
    owner = (
        Membership.objects.filter(practice=practice, role=Role.OWNER).select_related("user").first()
    )
    return {
        "practice": practice,
        "public_practice": practice,
        "availability": availability_of(practice),
        "services": services,
        "forms_offered": [Form(value).label for value in offered],
        "owner": owner,
    }


def _slots_by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda slot: timezone.localdate(slot[0]))
    ]


def public_page(request: HttpRequest, practice_slug: str) -> HttpResponse:
    practice = published_practice(practice_slug)
    context = _profile(practice)
    availability = availability_of(practice)
    if availability.booking_open:
        context["next_slots"] = free_slots(availability, timezone.now())[:3]
    return render(request, "public/practice.html", context)


def _too_many(request: HttpRequest, practice: Practice) -> HttpResponse:
    return render(request, "public/too_many.html", {"public_practice": practice}, status=429)


@require_http_methods(["GET", "POST"])
def inquiry_form(request: HttpRequest, practice_slug: str) -> HttpResponse:
    practice = published_practice(practice_slug)
    if request.method == "POST":
        if rate_limited(request, "inquiry"):
            return _too_many(request, practice)
        form = InquiryForm(request.POST)
        if form.is_valid():
            if form.is_bot:
                return redirect("inquiry_sent", practice.slug)
            data = form.cleaned_data
            inquiry = submit_inquiry(
                practice=practice,
                details=InquiryDetails(
                    asker=data["asker"],
                    name=data["name"],
                    organisation=data["organisation"],
                    email=data["email"],
                    phone=data["phone"],
                    for_whom=data["for_whom"],
                    group_size=data["group_size"],
                    form=data["form"],
                    need=data["need"],
                    preferred_times=data["preferred_times"],
                    mode=data["mode"],
                    event_at=data["event_at"],
                ),
            )
            url = reverse("inquiry_sent", args=[practice.slug])
            return redirect(f"{url}?crisis=1" if inquiry.is_crisis else url)
        form.renew_token()
    else:
        form = InquiryForm()
    return render(request, "public/inquiry_form.html", {**_profile(practice), "form": form})


def inquiry_sent(request: HttpRequest, practice_slug: str) -> HttpResponse:
    practice = published_practice(practice_slug)
    return render(
        request,
        "public/inquiry_sent.html",
        {**_profile(practice), "crisis": request.GET.get("crisis") == "1"},
    )


@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, practice_slug: str) -> HttpResponse:
    practice = published_practice(practice_slug)
    availability = availability_of(practice)
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "booking"):
            return _too_many(request, practice)
        if not availability.booking_open:
            form.add_error(None, _("Bookings are not open at the moment."))
        elif form.is_valid():
            if form.is_bot:
                return redirect("public_page", practice.slug)
            data = form.cleaned_data
            try:
                booked = book_slot(
                    availability=availability,
                    start=data["slot"],
                    name=data["name"],
                    organisation=data["organisation"],
                    email=data["email"],
                    phone=data["phone"],
                )
            except SlotTaken:
                form.add_error(
                    None,
                    _(
                        "Sorry, someone else booked that time a moment ago, or it is no "
                        "longer free. Choose another time."
                    ),
                )
                status = 409
            else:
                return redirect("booking_done", practice.slug, booked.uuid)
        form.renew_token()
    slots = free_slots(availability, timezone.now()) if availability.booking_open else []
    chosen = request.POST.get("slot", "")
    return render(
        request,
        "public/booking.html",
        {**_profile(practice), "form": form, "days": _slots_by_day(slots), "chosen": chosen},
        status=status,
    )


def booking_done(request: HttpRequest, practice_slug: str, booking_uuid: UUID) -> HttpResponse:
    practice = published_practice(practice_slug)
    found = public_booking(practice, booking_uuid)
    return render(request, "public/booking_done.html", {**_profile(practice), "booking": found})


def privacy_notice(request: HttpRequest, practice_slug: str) -> HttpResponse:
    practice = published_practice(practice_slug)
    months = int(getattr(settings, "TILA_RETENTION_MONTHS", RETENTION_MONTHS_DEFAULT))
    return render(
        request,
        "public/privacy.html",
        {
            **_profile(practice),
            "retention_months": months,
            "financial_years": FINANCIAL_RECORDS_YEARS,
            "updated": practice.created_at,
        },
    )

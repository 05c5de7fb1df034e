from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.intake import actions
from tila.intake.access import (
    access_inquiry,
    access_inquiry_to_handle,
    practice_availability,
    visible_inquiries,
)
from tila.intake.dashboard import crisis_items
from tila.intake.forms import AvailabilityForm, ConvertInquiryForm, InquiryStatusForm
from tila.intake.models import Booking, BookingStatus, InquiryStatus
from tila.lib.paging import paginate
from tila.practices.access import PracticeRequest, member_required, owner_required


@member_required
def inquiry_list(request: PracticeRequest) -> HttpResponse:
    inquiries = visible_inquiries(request.membership)
    crises = list(inquiries.open().crises().order_by("-event_at"))
    bookings = Booking.objects.filter(
        practice=request.membership.practice,
        status=BookingStatus.CONFIRMED,
        end__gt=timezone.now(),
    ).order_by("start")
    return render(
        request,
        "intake/inquiry_list.html",
        {
            "crises": crisis_items(crises),
            "page_obj": paginate(request, inquiries.exclude(pk__in=[c.pk for c in crises])),
            "bookings": bookings,
        },
    )


@member_required
def inquiry(request: PracticeRequest, inquiry_uuid: UUID) -> HttpResponse:
    found = access_inquiry(request.membership, inquiry_uuid)
    supervises = request.membership.supervises
    local_received = timezone.localdate(found.created_at)
    convert_form = ConvertInquiryForm(
        initial={
            "client_name": found.who,
            "title": (_("Crisis supervision: %(who)s") if found.is_crisis else _("Trial: %(who)s"))
            % {"who": found.who},
            "meeting_count": actions.CRISIS_MEETINGS if found.is_crisis else actions.TRIAL_MEETINGS,
            "start_date": max(timezone.localdate(), local_received),
        }
    )
    return render(
        request,
        "intake/inquiry.html",
        {
            "inquiry": found,
            "need": actions.read_need(found, actor=request.user) if supervises else None,
            "crisis": next(iter(crisis_items([found])), None),
            "convert_form": convert_form,
            "status_form": InquiryStatusForm(initial={"status": found.status}),
            "converted": found.status == InquiryStatus.CONVERTED,
        },
    )


@member_required
@require_POST
def convert_inquiry(request: PracticeRequest, inquiry_uuid: UUID) -> HttpResponse:
    found = access_inquiry_to_handle(request.membership, inquiry_uuid)
    form = ConvertInquiryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the client's name, the title and the dates."))
        return redirect("inquiry", found.uuid)
    try:
        contract = actions.convert_inquiry(inquiry=found, actor=request.user, **form.cleaned_data)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("inquiry", found.uuid)
    messages.success(
        request, _("A client and a trial contract were made from the inquiry. Check the terms.")
    )
    return redirect("contract", contract.uuid)


@member_required
@require_POST
def change_inquiry_status(request: PracticeRequest, inquiry_uuid: UUID) -> HttpResponse:
    found = access_inquiry_to_handle(request.membership, inquiry_uuid)
    form = InquiryStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.set_inquiry_status(inquiry=found, status=form.cleaned_data["status"])
            messages.success(request, _("The inquiry's status was saved."))
        except ValueError as error:
            messages.error(request, str(error))
    return redirect("inquiry", found.uuid)


@owner_required
@require_http_methods(["GET", "POST"])
def edit_availability(request: PracticeRequest) -> HttpResponse:
    availability = practice_availability(request.membership)
    form = AvailabilityForm(request.POST or None, instance=availability)
    if request.method == "POST" and form.is_valid():
        actions.save_availability(
            availability=form.save(commit=False),
            hours=form.cleaned_data["hours"],
            days_off=form.cleaned_data["day_ranges"],
        )
        messages.success(request, _("The public page and the bookable hours were saved."))
        return redirect("practice_settings")
    return render(
        request, "intake/availability_form.html", {"form": form, "availability": availability}
    )

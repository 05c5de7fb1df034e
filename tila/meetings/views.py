from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tila.contracts.access import access_contract
from tila.contracts.models import Contract
from tila.lib.paging import paginate, search_query
from tila.meetings import actions
from tila.meetings.access import access_absence, access_meeting, own_absences, visible_meetings
from tila.meetings.dashboard import pinned_panels
from tila.meetings.feed import feed_for_token, feed_ics
from tila.meetings.forms import (
    AbsenceForm,
    AttendanceForm,
    CancelMeetingForm,
    MeetingFilterForm,
    MoveMeetingForm,
    PlanMeetingsForm,
)
from tila.meetings.invitations import read_cancel_token
from tila.meetings.models import Attendance, CalendarFeed, Meeting, MeetingStatus
from tila.meetings.queries import (
    COMING_DAYS,
    contracts_needing_attention,
    counted_meetings,
    meetings_between,
    members_on,
    not_marked_held,
    with_details,
)
from tila.meetings.series import Proposed, with_conflicts
from tila.practices.access import PracticeRequest, member_required

# How many unmarked meetings the dashboard lists before pointing to the meeting list.
UNMARKED_SHOWN = 10


def contract_url(contract: Contract) -> str:
    return reverse("contract", args=[contract.uuid])


def billing_note(meeting: Meeting) -> str:
    """The billable share of the meeting, and why, in words."""
    contract = meeting.contract
    terms = {
        "percent": contract.late_cancellation_percent,
        "hours": contract.cancellation_notice_hours,
    }
    notes = {
        MeetingStatus.PLANNED: _(
            "Billable when held. A cancellation later than %(hours)s h before the start is "
            "%(percent)s %% billable under the contract's terms."
        ),
        MeetingStatus.HELD: _("Held: billable in full."),
        MeetingStatus.CANCELLED_LATE: _(
            "Late cancellation: %(percent)s %% billable under the contract's terms."
        ),
        MeetingStatus.NO_SHOW: _("No-show: %(percent)s %% billable under the contract's terms."),
        MeetingStatus.CANCELLED: _(
            "Cancelled in time, at least %(hours)s h before the start: not billable."
        ),
        MeetingStatus.CANCELLED_BY_SUPERVISOR: _("Cancelled by the supervisor: not billable."),
    }
    return notes[MeetingStatus(meeting.status)] % terms


@member_required
def dashboard(request: PracticeRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    meetings = with_details(visible_meetings(request.membership))
    context = {
        "today": today,
        "today_meetings": meetings_between(meetings, today, today),
        "coming": meetings_between(
            meetings.filter(status=MeetingStatus.PLANNED),
            today + timedelta(days=1),
            today + timedelta(days=COMING_DAYS),
        ),
        "unmarked": not_marked_held(meetings, now)[:UNMARKED_SHOWN],
        "unmarked_count": not_marked_held(visible_meetings(request.membership), now).count(),
        "attention": contracts_needing_attention(
            Contract.objects.visible_to(request.membership), today
        ),
        "coming_days": COMING_DAYS,
        "pinned": pinned_panels(request),
    }
    return render(request, "meetings/dashboard.html", context)


@member_required
def meeting_list(request: PracticeRequest) -> HttpResponse:
    filters = MeetingFilterForm(request.GET)
    when, status, query = (
        filters.value("when", "upcoming"),
        filters.value("status"),
        search_query(request),
    )
    meetings = with_details(visible_meetings(request.membership))
    now = timezone.now()
    if when == "upcoming":
        meetings = meetings.filter(end__gt=now).order_by("start", "id")
    else:
        meetings = meetings.order_by("-start", "-id")
        if when == "past":
            meetings = meetings.filter(end__lte=now)
    if status:
        meetings = meetings.filter(status=status)
    if query:
        meetings = meetings.filter(
            Q(contract__title__icontains=query)
            | Q(contract__client__name__icontains=query)
            | Q(contract__organisation__name__icontains=query)
        )
    context = {"page_obj": paginate(request, meetings), "filters": filters, "query": query}
    return render(request, "meetings/meeting_list.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def plan_meetings(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract(request.membership, contract_uuid)
    remaining = contract.meeting_count - counted_meetings(contract)
    form = PlanMeetingsForm(
        request.POST or None,
        contract=contract,
        supervisors=list(contract.supervisors.order_by("name")),
        remaining=remaining,
        user=request.user,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = plan_preview(form)
        else:
            try:
                planned = actions.plan_meetings(
                    contract=contract,
                    supervisor=form.supervisor,
                    slots=form.slots,
                    place=form.cleaned_data["place"],
                    remote_link=form.cleaned_data["remote_link"],
                    actor=request.user,
                )
            except actions.MeetingError as error:
                form.add_refusal(error)
            else:
                count = len(planned)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s meeting was planned.", "%(count)s meetings were planned.", count
                    )
                    % {"count": count},
                )
                return redirect(contract_url(contract))
    context = {"form": form, "contract": contract, "remaining": remaining, "preview": preview}
    return render(request, "meetings/plan_meetings.html", context)


def plan_preview(form: PlanMeetingsForm) -> list[Proposed]:
    """Each date of the series: the meetings with what they would clash with (the clashes
    also as errors), and the dates passed over with the reason."""
    proposed = with_conflicts(form.supervisor, form.proposed, form.contract.practice)
    clashes = [((r.start, r.end), m) for r in proposed for m in r.clashes]
    busy = [((r.start, r.end), b) for r in proposed for b in r.busy]
    if clashes or busy:
        form.add_refusal(actions.MeetingConflict(clashes, busy))
    return proposed


@member_required
def meeting(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    found = access_meeting(request.membership, meeting_uuid)
    members = members_on(found.contract, timezone.localdate(found.start))
    rows = list(found.attendance.select_related("member__person"))
    attendance = {row.member_id: row.present for row in rows}
    absences = [row for row in rows if row.absence_reported_at is not None]
    if found.status == MeetingStatus.HELD:
        present = [member for member in members if attendance.get(member.pk)]
    else:
        # Most come; the supervisor unticks those who did not. Reported absences start unticked.
        absent = {row.member_id for row in absences}
        present = [member for member in members if member.pk not in absent]
    context = {
        "meeting": found,
        "members": members,
        "attendance_form": AttendanceForm(members=members, present=present),
        "absences": absences,
        "started": found.start <= timezone.now(),
        "billing_note": billing_note(found),
        "contract_url": contract_url(found.contract),
        "writes_notes": found.contract.is_supervised_by(request.membership),
    }
    return render(request, "meetings/meeting.html", context)


@member_required
@require_POST
def mark_meeting_held(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    found = access_meeting(request.membership, meeting_uuid)
    members = members_on(found.contract, timezone.localdate(found.start))
    form = AttendanceForm(request.POST, members=members, present=[])
    if not form.is_valid():
        messages.error(request, _("Attendance could not be saved. Check the names and try again."))
        return redirect("meeting", found.uuid)
    try:
        actions.mark_held(
            meeting=found, members=members, present=form.present_members(), actor=request.user
        )
    except actions.MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting was marked held and attendance saved."))
    return redirect("meeting", found.uuid)


@member_required
@require_http_methods(["GET", "POST"])
def cancel_meeting(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    found = access_meeting(request.membership, meeting_uuid)
    if found.status != MeetingStatus.PLANNED:
        messages.error(request, _("Only a planned meeting can be cancelled."))
        return redirect("meeting", found.uuid)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = actions.cancel_meeting(
                meeting=found, actor=request.user, **form.cleaned_data
            )
        except actions.MeetingError as error:
            form.add_refusal(error)
        else:
            messages.success(request, cancellation_message(cancelled))
            return redirect("meeting", found.uuid)
    context = {"meeting": found, "form": form, "notice_ends": notice_ends(found)}
    return render(request, "meetings/cancel_meeting.html", context)


def notice_ends(meeting: Meeting) -> datetime:
    """The last moment to cancel without charge under the contract's terms."""
    return meeting.start - timedelta(hours=meeting.contract.cancellation_notice_hours)


def cancellation_message(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED_LATE:
        return _(
            "The meeting was cancelled late. It is %(percent)s %% billable under the "
            "contract's terms."
        ) % {"percent": meeting.billable_share}
    if meeting.status == MeetingStatus.CANCELLED_BY_SUPERVISOR:
        return _("The supervisor's cancellation was recorded. The meeting is not billable.")
    return _("The meeting was cancelled in time. It is not billable.")


@member_required
@require_http_methods(["GET", "POST"])
def edit_meeting(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    found = access_meeting(request.membership, meeting_uuid)
    if found.status != MeetingStatus.PLANNED:
        messages.error(request, _("Only a planned meeting can be moved."))
        return redirect("meeting", found.uuid)
    initial = {f: getattr(found, f) for f in ("start", "end", "place", "remote_link")}
    form = MoveMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_meeting(meeting=found, actor=request.user, **form.cleaned_data)
        except actions.MeetingError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meeting", found.uuid)
    return render(request, "meetings/meeting_form.html", {"meeting": found, "form": form})


# The participant's own link in her invitation: public by design (no login); the signed
# token names one meeting and one member, and anything else is a 404.


@require_http_methods(["GET", "POST"])
def invitation_cancel(request: HttpRequest, token: str) -> HttpResponse:
    found, member = read_cancel_token(token)
    now = timezone.now()
    error = ""
    done: Meeting | Attendance | None = None
    if request.method == "POST":
        try:
            done = actions.cancel_as_participant(meeting=found, member=member, now=now)
        except actions.MeetingError as refusal:
            error = refusal.message
    already = Attendance.objects.filter(
        meeting=found, member=member, absence_reported_at__isnull=False
    ).first()
    context = {
        "meeting": found,
        "member": member,
        "group": found.contract.client.is_group,
        "open": found.status == MeetingStatus.PLANNED and found.start > now and not already,
        "late": found.is_late_cancellation(now),
        "notice_ends": notice_ends(found),
        "late_percent": found.contract.late_cancellation_percent,
        "error": error,
        "done": done,
        "already": already,
    }
    with translation.override(member.person.language):
        return render(request, "meetings/invitation_cancel.html", context)


# The member's private calendar subscription (see ``tila.meetings.feed``).


def _subscription_page(request: PracticeRequest, *, link: str = "") -> HttpResponse:
    feed = CalendarFeed.objects.filter(membership=request.membership).first()
    return render(request, "meetings/calendar_subscription.html", {"feed": feed, "link": link})


@member_required
@require_http_methods(["GET", "POST"])
def calendar_subscription(request: PracticeRequest) -> HttpResponse:
    """The member's calendar link: make a new one (shown on that response only, as only its
    hash is kept), revoke it, or choose what its titles say."""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "new":
        token = actions.create_calendar_feed(request.membership)
        link = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
        response = _subscription_page(request, link=link)
        response["Cache-Control"] = "no-store"
        return response
    if action == "revoke":
        actions.revoke_calendar_feed(request.membership)
        messages.success(
            request, _("The calendar link was revoked. Calendars that used it get nothing more.")
        )
        return redirect("calendar_subscription")
    if action == "names":
        show = request.POST.get("show_client_names") == "1"
        actions.set_calendar_feed_names(request.membership, show_client_names=show)
        if show:
            messages.success(request, _("The calendar now shows the clients' names."))
        else:
            messages.success(
                request, _("The calendar now shows pseudonyms instead of the clients' names.")
            )
        return redirect("calendar_subscription")
    return _subscription_page(request)


# The feed itself: public by design (calendar programs cannot log in). The token is the only
# key; an unknown or revoked one is a 404.


@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        body = feed_ics(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="tila.ics"'
    return response


# The member's own absences, which a series of meetings passes over and which close her
# bookable hours.


@member_required
@require_http_methods(["GET", "POST"])
def absences(request: PracticeRequest) -> HttpResponse:
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_absence(
            membership=request.membership,
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
        )
        messages.success(request, _("The absence was saved."))
        return redirect("absences")
    context = {
        "form": form,
        "absences": own_absences(request.membership).filter(
            last_day__gte=timezone.localdate() - timedelta(days=30)
        ),
    }
    return render(request, "meetings/absences.html", context)


@member_required
@require_POST
def delete_absence(request: PracticeRequest, absence_uuid: UUID) -> HttpResponse:
    actions.delete_absence(access_absence(request.membership, absence_uuid))
    messages.success(request, _("The absence was removed."))
    return redirect("absences")

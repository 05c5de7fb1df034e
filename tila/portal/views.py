from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.audit.actions import record_event
from tila.audit.models import Action, ActorRole
from tila.billing.certificates import certificate_pdf, hours_ledger
from tila.billing.models import CertificateRelease
from tila.clients.access import access_client_member
from tila.clients.models import Person
from tila.contracts.models import Contract, ContractQuerySet, Status
from tila.meetings.actions import MeetingError
from tila.meetings.calendar import meetings_calendar, to_ics
from tila.meetings.models import Attendance, Meeting, MeetingStatus
from tila.notes.actions import read_note
from tila.notes.models import Note, NoteKind
from tila.portal.access import (
    SuperviseeRequest,
    access_coming_meeting,
    access_portal_contract,
    access_portal_meeting,
    coming_meetings,
    membership_periods,
    since_joining,
    supervisee_required,
)
from tila.portal.actions import (
    CancellationTerms,
    InviteError,
    absence_reported,
    cancel_as_supervisee,
    cancellation_terms,
    create_portal_calendar_feed,
    revoke_portal_calendar_feed,
)
from tila.portal.actions import invite_supervisee as invite
from tila.portal.feed import portal_feed_for_token, portal_feed_ics
from tila.portal.models import PortalCalendarFeed
from tila.portal.summaries import calendar_description, calendar_summary
from tila.practices.access import PracticeRequest, member_required
from tila.statements.actions import released_statements
from tila.topics.actions import read_portal_topics, takes_topics
from tila.topics.forms import topic_form

CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


@member_required
@require_POST
def invite_supervisee(request: PracticeRequest, member_uuid: UUID) -> HttpResponse:
    member = access_client_member(request.membership, member_uuid)
    try:
        account = invite(member=member, actor=request.user)
    except InviteError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("An invitation to the portal was sent to %(email)s.") % {"email": account.user.email},
        )
    return redirect("client", member.client.uuid)


@supervisee_required
def portal_home(request: SuperviseeRequest) -> HttpResponse:
    person = request.supervisee
    contracts = list(
        Contract.objects.filter(
            practice=person.practice,
            client__members__person=person,
            client__members__left_on__isnull=True,
            status__in=CURRENT_STATUSES,
        )
        .select_related("client")
        .distinct()
        .order_by("start_date", "title")
    )
    meetings = (
        Meeting.objects.filter(contract__in=contracts)
        .filter(since_joining(person))
        .with_ordinal()
        .select_related("contract", "contract__client")
    )
    now = timezone.now()
    upcoming = list(meetings.filter(start__gte=now).order_by("start"))
    topics = read_portal_topics(person=person, meetings=upcoming, actor=request.user)
    absent = set(
        Attendance.objects.filter(
            meeting__in=upcoming, member__person=person, absence_reported_at__isnull=False
        ).values_list("meeting_id", flat=True)
    )
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "contracts": contracts,
            "upcoming": [
                (
                    meeting,
                    topics.get(meeting.pk, []),
                    topic_form(meeting) if takes_topics(meeting) else None,
                    meeting.pk in absent,
                )
                for meeting in upcoming
            ],
            "past": meetings.filter(start__lt=now).order_by("-start"),
        },
    )


@supervisee_required
def portal_contract(request: SuperviseeRequest, contract_uuid: UUID) -> HttpResponse:
    person = request.supervisee
    contract = access_portal_contract(person, contract_uuid)
    held_while_member = Meeting.objects.filter(contract=contract).filter(
        membership_periods(person, contract)
    )
    notes = (
        Note.objects.filter(contract=contract, kind=NoteKind.SUMMARY)
        .filter(meeting__in=held_while_member)
        .select_related("practice", "meeting")
        .order_by("meeting__start")
    )
    summaries = [
        (note.meeting, read_note(note, actor=request.user, role=ActorRole.SUPERVISEE))
        for note in notes
    ]
    return render(
        request,
        "portal/contract.html",
        {
            "contract": contract,
            "goals": contract.goals.all(),
            "supervisors": contract.supervisors.all(),
            "summaries": summaries,
            "released_statements": released_statements(
                contract, actor=request.user, role=ActorRole.SUPERVISEE
            ),
        },
    )


def ics_response(meetings: list[Meeting], filename: str) -> HttpResponse:
    calendar = meetings_calendar(
        meetings,
        summary=calendar_summary,
        description=calendar_description,
        name=_("Work supervision"),
    )
    response = HttpResponse(to_ics(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@supervisee_required
def portal_calendar(request: SuperviseeRequest) -> HttpResponse:
    """All the supervisee's coming meetings, cancelled ones marked so, as one .ics file."""
    return ics_response(list(coming_meetings(request.supervisee)), "tyonohjaus.ics")


@supervisee_required
def portal_meeting_calendar(request: SuperviseeRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = access_portal_meeting(request.supervisee, meeting_uuid)
    day = timezone.localdate(meeting.start).isoformat()
    return ics_response([meeting], f"tyonohjaus-{day}.ics")


@supervisee_required
@require_http_methods(["GET", "POST"])
def portal_cancel_meeting(request: SuperviseeRequest, meeting_uuid: UUID) -> HttpResponse:
    person = request.supervisee
    if request.method == "POST":
        meeting = access_coming_meeting(person, meeting_uuid)
    else:
        # A link from an older page still opens, and says why nothing can be done.
        meeting = access_portal_meeting(person, meeting_uuid)
    now = timezone.now()
    terms = cancellation_terms(meeting, now)
    if request.method == "POST":
        # The page said whether it is still in time; if that changed meanwhile, say so again.
        if request.POST.get("late") != ("1" if terms.late else "0"):
            messages.error(request, _("The time for cancelling in time has just passed."))
        else:
            try:
                done = cancel_as_supervisee(meeting=meeting, person=person, actor=request.user)
            except MeetingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, cancelled_message(done))
                return redirect(f"{reverse('portal_home')}#meeting-{meeting.uuid}")
    context = {
        "meeting": meeting,
        "terms": terms,
        "cancellable": meeting.status == MeetingStatus.PLANNED
        and meeting.start > now
        and coming_meetings(person).filter(pk=meeting.pk).exists(),
        "absent": absence_reported(meeting, person),
    }
    return render(request, "portal/cancel_meeting.html", context)


def cancelled_message(terms: CancellationTerms) -> str:
    if not terms.individual:
        if terms.late:
            return _("Your absence was reported, later than the contract's notice.")
        return _("Your absence was reported. The meeting is held for your group as planned.")
    if terms.late and terms.late_percent:
        return _(
            "The meeting was cancelled late. Under the contract it is %(percent)s %% billable."
        ) % {"percent": terms.late_percent}
    return _("The meeting was cancelled. It is not billable.")


# The supervisee's private calendar subscription (see ``tila.portal.feed``).


@supervisee_required
@require_http_methods(["GET", "POST"])
def portal_calendar_subscription(request: SuperviseeRequest) -> HttpResponse:
    """Her calendar link: make a new one (shown on that response only) or revoke it."""
    account = request.supervisee.supervisee_account
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "revoke":
        revoke_portal_calendar_feed(account)
        messages.success(
            request, _("The calendar link was revoked. Calendars that used it get nothing more.")
        )
        return redirect("portal_calendar_subscription")
    link = ""
    if action == "new":
        token = create_portal_calendar_feed(account)
        link = request.build_absolute_uri(reverse("portal_feed", args=[token]))
    feed = PortalCalendarFeed.objects.filter(account=account).first()
    response = render(request, "portal/calendar_subscription.html", {"feed": feed, "link": link})
    response["Cache-Control"] = "no-store"
    return response


# The feed itself: public by design (calendar programs cannot log in). The token is the only
# key; an unknown or revoked one is a 404.


@require_http_methods(["GET", "HEAD"])
def portal_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = portal_feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(portal_feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="tyonohjaus.ics"'
    return response


def _own_contracts(person: Person) -> ContractQuerySet:
    return Contract.objects.filter(
        practice=person.practice, client__members__person=person
    ).exclude(status=Status.DRAFT)


@supervisee_required
def portal_hours(request: SuperviseeRequest) -> HttpResponse:
    """Her own hours of supervision across her contracts, as in the supervisor's ledger."""
    person = request.supervisee
    released = CertificateRelease.objects.filter(person=person).exists()
    ledger = hours_ledger(person, _own_contracts(person))
    return render(request, "portal/hours.html", {"ledger": ledger, "released": released})


@supervisee_required
def portal_certificate(request: SuperviseeRequest) -> HttpResponse:
    """Her certificate of supervision, once her supervisor has offered it here."""
    person = request.supervisee
    if not CertificateRelease.objects.filter(person=person).exists():
        raise Http404
    ledger = hours_ledger(person, _own_contracts(person))
    if not ledger.rows:
        messages.error(request, _("No supervision attended yet: nothing to certify."))
        return redirect("portal_hours")
    content = certificate_pdf(ledger, person.practice, timezone.localdate())
    record_event(
        actor=request.user,
        practice=person.practice,
        object_type="clients.Person",
        object_id=person.uuid,
        action=Action.EXPORT,
        detail={"document": "supervision_certificate", "meetings": len(ledger.rows)},
        role=ActorRole.SUPERVISEE,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tyonohjaustodistus-{ledger.last_day}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response

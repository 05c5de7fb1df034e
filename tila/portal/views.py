from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tila.audit.models import ActorRole
from tila.clients.access import access_client_member
from tila.contracts.models import Contract, Status
from tila.meetings.models import Meeting
from tila.notes.actions import read_note
from tila.notes.models import Note, NoteKind
from tila.portal.access import (
    SuperviseeRequest,
    access_portal_contract,
    membership_periods,
    since_joining,
    supervisee_required,
)
from tila.portal.actions import InviteError
from tila.portal.actions import invite_supervisee as invite
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
        .select_related("contract")
    )
    now = timezone.now()
    upcoming = list(meetings.filter(start__gte=now).order_by("start"))
    topics = read_portal_topics(person=person, meetings=upcoming, actor=request.user)
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

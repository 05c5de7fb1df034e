from uuid import UUID

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.models import User
from tila.contracts.access import access_contract, access_contract_to_change
from tila.contracts.models import Contract
from tila.meetings.actions import MeetingConflict, MeetingError
from tila.meetings.forms import slot_text
from tila.meetings.queries import find_clashes
from tila.portal.access import SuperviseeRequest, supervisee_required
from tila.practices.access import PracticeRequest, member_required
from tila.scheduling import actions
from tila.scheduling.access import (
    access_poll,
    access_poll_to_change,
    access_portal_invitee,
    portal_invitees,
)
from tila.scheduling.forms import AnswerForm, PollForm, chosen_times
from tila.scheduling.links import invitee_for_token
from tila.scheduling.models import MAX_TIMES, PollAnswer, PollInvitee, PollStatus, SchedulePoll
from tila.scheduling.results import tally
from tila.scheduling.tasks import reminder_time


def _poll_supervisor(request: PracticeRequest, contract: Contract) -> User:
    """The member herself when she supervises the contract, else its first supervisor."""
    mine = contract.supervisors.filter(pk=request.user.pk).first()
    return mine or contract.supervisors.order_by("name").first() or request.user


@member_required
def contract_polls(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract(request.membership, contract_uuid)
    context = {
        "contract": contract,
        "polls": contract.schedule_polls.annotate(
            time_count=Count("times", distinct=True),
            invited=Count("invitees", distinct=True),
            answered=Count(
                "invitees", filter=Q(invitees__answered_at__isnull=False), distinct=True
            ),
        ),
        "can_change": request.membership.supervises,
    }
    return render(request, "scheduling/contract_polls.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def new_schedule_poll(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_to_change(request.membership, contract_uuid)
    form = PollForm(request.POST or None)
    if request.method == "POST" and "more" not in request.POST and form.is_valid():
        try:
            poll = actions.create_poll(
                contract=contract,
                supervisor=_poll_supervisor(request, contract),
                times=form.times,
                actor=request.user,
                **form.cleaned_data,
            )
        except actions.PollError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The poll was sent to the group."))
            return redirect("schedule_poll", poll.uuid)
    return render(
        request,
        "scheduling/new_poll.html",
        {"contract": contract, "form": form, "max_times": MAX_TIMES},
    )


@member_required
def schedule_poll(request: PracticeRequest, poll_uuid: UUID) -> HttpResponse:
    poll = access_poll(request.membership, poll_uuid)
    results = tally(poll)
    open_times = [(r.time.start, r.time.end) for r in results if r.time.meeting_id is None]
    context = {
        "poll": poll,
        "results": results,
        "taken": {slot for slot, _other in find_clashes(poll.supervisor, open_times)},
        "invitees": poll.invitees.select_related("member__person").order_by("member__person__name"),
        "invited": poll.invitees.count(),
        "answers_closed": not poll.accepts_answers(timezone.now()),
        "can_change": request.membership.supervises and poll.status == PollStatus.OPEN,
        "not_asked": actions.members_not_asked(poll) if poll.status == PollStatus.OPEN else [],
        "reminder_at": reminder_time(poll, poll.created_at),
        "now": timezone.now(),
    }
    return render(request, "scheduling/poll.html", context)


@member_required
@require_POST
def decide_schedule_poll(request: PracticeRequest, poll_uuid: UUID) -> HttpResponse:
    poll = access_poll_to_change(request.membership, poll_uuid)
    try:
        meetings = actions.decide_poll(
            poll=poll, times=chosen_times(poll, request.POST), actor=request.user
        )
    except MeetingConflict as conflict:
        for (start, end), other in conflict.clashes:
            messages.error(
                request,
                _("%(slot)s overlaps another meeting of the supervisor: %(other)s.")
                % {"slot": slot_text(start, end), "other": slot_text(other.start, other.end)},
            )
        messages.error(request, _("Nothing was planned; the poll is still open."))
    except (MeetingError, actions.PollError) as error:
        messages.error(request, error.message)
    else:
        count = len(meetings)
        messages.success(
            request,
            ngettext(
                "%(count)s meeting was planned and the invitation sent.",
                "%(count)s meetings were planned and the invitations sent.",
                count,
            )
            % {"count": count},
        )
    return redirect("schedule_poll", poll.uuid)


@member_required
@require_POST
def close_schedule_poll(request: PracticeRequest, poll_uuid: UUID) -> HttpResponse:
    poll = access_poll_to_change(request.membership, poll_uuid)
    try:
        actions.close_poll(poll=poll)
    except actions.PollError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The poll was closed without meetings."))
    return redirect("schedule_poll", poll.uuid)


def _posted_invitee(poll: SchedulePoll, value: str) -> PollInvitee | None:
    try:
        wanted = UUID(value)
    except ValueError:
        return None
    return poll.invitees.select_related("member__person").filter(uuid=wanted).first()


@member_required
@require_POST
def resend_poll_link(request: PracticeRequest, poll_uuid: UUID) -> HttpResponse:
    poll = access_poll_to_change(request.membership, poll_uuid)
    invitee = _posted_invitee(poll, request.POST.get("invitee", ""))
    if invitee is None:
        messages.error(request, _("Choose a member of the poll."))
        return redirect("schedule_poll", poll.uuid)
    try:
        actions.resend_link(invitee=invitee)
    except actions.PollError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new link was sent to %(name)s; the earlier one no longer works.")
            % {"name": invitee.member.person.name},
        )
    return redirect("schedule_poll", poll.uuid)


@member_required
@require_POST
def ask_new_poll_members(request: PracticeRequest, poll_uuid: UUID) -> HttpResponse:
    poll = access_poll_to_change(request.membership, poll_uuid)
    try:
        invitees = actions.ask_new_members(poll=poll)
    except actions.PollError as error:
        messages.error(request, error.message)
    else:
        names = ", ".join(invitee.member.person.name for invitee in invitees)
        messages.success(request, _("The poll was sent to %(names)s.") % {"names": names})
    return redirect("schedule_poll", poll.uuid)


# A member's own link in the poll's mail: public by design (no login); the token names one
# member of one poll, and an unknown or replaced token finds nothing.


@never_cache
@require_http_methods(["GET", "POST"])
def answer_schedule_poll(request: HttpRequest, token: str) -> HttpResponse:
    invitee = invitee_for_token(token)
    if invitee is None:
        return render(request, "scheduling/link_not_valid.html", status=404)
    with translation.override(invitee.member.person.language):
        return _answer_page(request, invitee, "scheduling/answer.html")


def _answer_page(request: HttpRequest, invitee: PollInvitee, template: str) -> HttpResponse:
    """The member's answers to the poll: the form while it is open, else what was decided."""
    poll = invitee.poll
    times = list(poll.times.select_related("meeting"))
    current = dict(PollAnswer.objects.filter(invitee=invitee).values_list("time_id", "choice"))
    form = AnswerForm(request.POST or None, times=times, current=current)
    saved = False
    if request.method == "POST" and poll.accepts_answers(timezone.now()) and form.is_valid():
        try:
            actions.answer_poll(invitee=invitee, answers=form.answers())
        except actions.PollError as error:
            form.add_error(None, error.message)
        else:
            saved = True
    results = {result.time.pk: result for result in tally(poll)}
    context = {
        "poll": poll,
        "invitee": invitee,
        "form": form,
        "saved": saved,
        "open": poll.accepts_answers(timezone.now()),
        "rows": [(time, field, results[time.pk]) for time, field in form.rows()],
        "chosen": [t for t in times if t.meeting_id is not None],
    }
    return render(request, template, context)


# The same polls in the supervisees' portal, for a member who has logged in.


@supervisee_required
def portal_polls(request: SuperviseeRequest) -> HttpResponse:
    invitees = (
        portal_invitees(request.supervisee)
        .select_related("poll", "poll__supervisor", "poll__contract")
        .order_by("-poll__created_at", "-id")
    )
    return render(request, "scheduling/portal_polls.html", {"invitees": invitees})


@supervisee_required
@require_http_methods(["GET", "POST"])
def portal_schedule_poll(request: SuperviseeRequest, poll_uuid: UUID) -> HttpResponse:
    invitee = access_portal_invitee(request.supervisee, poll_uuid)
    return _answer_page(request, invitee, "scheduling/portal_poll.html")

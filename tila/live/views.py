from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.models import User
from tila.live import actions, screens
from tila.live.access import (
    access_meeting_for_live,
    access_run,
    normalise_code,
    participant_of,
    running_run,
    set_participant_cookie,
    supervisee_of_meeting,
)
from tila.live.forms import (
    CodeForm,
    ControlForm,
    EndForm,
    JoinForm,
    MoveNoteForm,
    NewRunForm,
    NextPromptForm,
    TurnForm,
)
from tila.live.methods import INFO
from tila.live.models import Run, Snapshot
from tila.practices.access import PracticeRequest, member_required


@member_required
@require_http_methods(["GET", "POST"])
def meeting_live(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    """The meeting's live exercises, and the form that starts one."""
    meeting = access_meeting_for_live(request.membership, meeting_uuid)
    form = NewRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = actions.start_run(meeting=meeting, actor=request.user, **form.cleaned_data)
        return redirect("live_run", run.uuid)
    runs = Run.objects.filter(meeting=meeting).prefetch_related("rounds")
    return render(
        request,
        "live/meeting_live.html",
        {"meeting": meeting, "form": form, "runs": runs, "methods": INFO},
    )


@member_required
def live_run(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    """The supervisor's controls, with what the shared screen shows."""
    run = access_run(request.membership, run_uuid)
    context = screens.screen_context(run)
    context.update({"meeting": run.meeting, "end_form": EndForm(), "next_form": NextPromptForm()})
    if run.is_ended:
        snapshot = Snapshot.objects.filter(run=run).select_related("run", "practice").first()
        context["saved_rounds"] = (
            actions.read_snapshot(snapshot, actor=request.user) if snapshot else None
        )
    return render(request, "live/run.html", context)


@member_required
def live_presenter(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    """The shared screen: join code, QR code, counts and the result when revealed."""
    run = access_run(request.membership, run_uuid)
    context = screens.screen_context(run)
    context["qr"] = screens.qr_svg(run)
    return render(request, "live/presenter.html", context)


@member_required
@require_POST
def control_live_run(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    run = access_run(request.membership, run_uuid)
    form = ControlForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError
        actions.change_state(run=run, state=form.cleaned_data["state"], actor=request.user)
    except ValueError:
        messages.error(request, _("That step is not possible now."))
    return redirect("live_run", run.uuid)


@member_required
@require_POST
def next_live_prompt(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    run = access_run(request.membership, run_uuid)
    form = NextPromptForm(request.POST)
    if run.is_ended or not form.is_valid():
        messages.error(request, _("Write the next question first."))
    else:
        actions.next_prompt(run=run, prompt=form.cleaned_data["prompt"], actor=request.user)
    return redirect("live_run", run.uuid)


@member_required
@require_POST
def move_board_note(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    """Move or group a note on a board; the change reaches every screen over the socket."""
    run = access_run(request.membership, run_uuid)
    form = MoveNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError
        actions.move_board_note(
            run=run,
            note_uuid=form.cleaned_data["note"],
            move=form.cleaned_data["move"],
            area=form.cleaned_data["area"] or 0,
            group=form.cleaned_data["group"] or 0,
            actor=request.user,
        )
    except ValueError:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=409)
        messages.error(request, _("That note cannot be moved now."))
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect("live_run", run.uuid)


@member_required
@require_POST
def steer_live_turns(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    """Steer a round: the speaking order, the turn, the time and the phase."""
    run = access_run(request.membership, run_uuid)
    form = TurnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError
        actions.steer_turns(
            run=run,
            action=form.cleaned_data["action"],
            participant_uuid=form.cleaned_data["participant"],
            phase=form.cleaned_data["phase"],
            actor=request.user,
        )
    except ValueError:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=409)
        messages.error(request, _("That step is not possible now."))
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect("live_run", run.uuid)


@member_required
@require_POST
def end_live_run(request: PracticeRequest, run_uuid: UUID) -> HttpResponse:
    run = access_run(request.membership, run_uuid)
    form = EndForm(request.POST)
    save = form.is_valid() and form.cleaned_data["save"] == "save"
    actions.end_run(run=run, actor=request.user, save=save)
    if save:
        messages.success(request, _("The exercise ended. A summary was saved to the meeting."))
    else:
        messages.success(request, _("The exercise ended. The answers were deleted."))
    return redirect("live_run", run.uuid)


# The participants' side is public by design: anyone with the join code of a running exercise
# may take part, without an account. What they reach is only that run's own panel.


@require_http_methods(["GET", "POST"])
def live_join(request: HttpRequest) -> HttpResponse:
    """Type the code shown on the shared screen."""
    form = CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        run = running_run(form.cleaned_data["code"])
        if run is not None:
            return redirect("live_participant", run.join_code)
        form.add_error("code", _("No exercise with this code is running. Check the code."))
    return render(request, "live/join.html", {"form": form})


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_http_methods(["GET"])
def live_participant(request: HttpRequest, code: str) -> HttpResponse:
    """A participant's page: joining first, then the exercise, live."""
    run = running_run(code)
    if run is None:
        return render(request, "live/not_running.html", {"form": CodeForm()}, status=404)
    participant = participant_of(request, run)
    context = {
        "run": run,
        "info": INFO[run.method],
        "named_user": supervisee_of_meeting(_user(request), run.meeting),
        "join_form": JoinForm(),
    }
    if participant is not None:
        context.update(screens.participant_context(participant))
    response = render(request, "live/participant.html", context)
    if participant is not None:
        set_participant_cookie(response, participant)  # a supervisee gets her device cookie too
    return response


@require_http_methods(["GET", "POST"])
def join_live_run(request: HttpRequest, code: str) -> HttpResponse:
    """Join (POST); a GET only leads to the exercise's page, where joining is a button."""
    if request.method == "GET":
        return redirect("live_participant", normalise_code(code))
    run = running_run(code)
    if run is None:
        return render(request, "live/not_running.html", {"form": CodeForm()}, status=404)
    participant = participant_of(request, run)
    if participant is None:
        form = JoinForm(request.POST)
        name = form.cleaned_data["name"] if form.is_valid() and not run.anonymous else ""
        user = _user(request)
        participant = actions.join_run(
            run=run, user=user if supervisee_of_meeting(user, run.meeting) else None, name=name
        )
    response = redirect("live_participant", run.join_code)
    set_participant_cookie(response, participant)
    return response

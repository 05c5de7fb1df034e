from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.models import User
from tila.lib.rate_limit import count_hit, is_spent
from tila.live import actions, screens, uploads
from tila.live.access import (
    access_card,
    access_deck,
    access_meeting_for_live,
    access_run,
    may_have_decks,
    may_see_card,
    normalise_code,
    own_decks,
    participant_of,
    running_run,
    set_participant_cookie,
    supervisee_of_meeting,
)
from tila.live.forms import (
    CardForm,
    CodeForm,
    ControlForm,
    DeckEditForm,
    DeckForm,
    EndForm,
    JoinForm,
    MoveNoteForm,
    NewRunForm,
    NextPromptForm,
    TurnForm,
)
from tila.live.methods import INFO
from tila.live.models import OwnCard, Run, Snapshot
from tila.practices.access import PracticeRequest, member_required

TOO_MANY_TRIES = gettext_lazy(
    "Too many codes were tried from this address. Wait a few minutes and try again."
)


@member_required
@require_http_methods(["GET", "POST"])
def meeting_live(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    """The meeting's live exercises, and the form that starts one."""
    meeting = access_meeting_for_live(request.membership, meeting_uuid)
    decks = list(own_decks(request.membership).filter(cards__isnull=False).distinct())
    form = NewRunForm(request.POST or None, own_decks=decks)
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
        return _step_refused(request, run, _("That note cannot be moved now."))
    return _step_done(request, run)


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
        return _step_refused(request, run, _("That step is not possible now."))
    return _step_done(request, run)


def _step_done(request: PracticeRequest, run: Run) -> HttpResponse:
    """A step on the control page: htmx needs no page (the screens follow over the socket)."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect("live_run", run.uuid)


def _step_refused(request: PracticeRequest, run: Run, message: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return HttpResponse(status=409)
    messages.error(request, message)
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


# Guessing codes is slowed down: an address that has tried too many codes that name no running
# exercise gets no more answers for a while, right or wrong.
CODE_SCOPE = "live-code"
CODE_WINDOW_SECONDS = 10 * 60


def _code_limit() -> int:
    return int(getattr(settings, "TILA_LIVE_CODE_LIMIT", 30))


def _too_many_tries(request: HttpRequest) -> bool:
    return is_spent(request, CODE_SCOPE, limit=_code_limit())


def _count_miss(request: HttpRequest) -> None:
    count_hit(request, CODE_SCOPE, limit=_code_limit(), window=CODE_WINDOW_SECONDS)


def _throttled(request: HttpRequest) -> HttpResponse:
    context = {"form": CodeForm(), "throttled": True}
    return render(request, "live/not_running.html", context, status=429)


def _not_running(request: HttpRequest) -> HttpResponse:
    _count_miss(request)
    return render(request, "live/not_running.html", {"form": CodeForm()}, status=404)


@require_http_methods(["GET", "POST"])
def live_join(request: HttpRequest) -> HttpResponse:
    """Type the code shown on the shared screen."""
    form = CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        if _too_many_tries(request):
            form.add_error("code", TOO_MANY_TRIES)
            return render(request, "live/join.html", {"form": form}, status=429)
        run = running_run(form.cleaned_data["code"])
        if run is not None:
            return redirect("live_participant", run.join_code)
        _count_miss(request)
        form.add_error("code", _("No exercise with this code is running. Check the code."))
    return render(request, "live/join.html", {"form": form})


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_http_methods(["GET"])
def live_participant(request: HttpRequest, code: str) -> HttpResponse:
    """A participant's page: joining first, then the exercise, live."""
    if _too_many_tries(request):
        return _throttled(request)
    run = running_run(code)
    if run is None:
        return _not_running(request)
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
    if _too_many_tries(request):
        return _throttled(request)
    run = running_run(code)
    if run is None:
        return _not_running(request)
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


# Own decks: a supervisor's own word and picture cards.


def _deck_member(request: PracticeRequest) -> None:
    if not may_have_decks(request.membership):
        raise PermissionDenied


@member_required
@require_http_methods(["GET", "POST"])
def live_decks(request: PracticeRequest) -> HttpResponse:
    """The supervisor's own decks, and the form that makes a new one."""
    _deck_member(request)
    form = DeckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deck = actions.create_deck(membership=request.membership, **form.cleaned_data)
        messages.success(request, _("The deck was created. Add its cards next."))
        return redirect("live_deck", deck.uuid)
    decks = own_decks(request.membership).annotate(size=Count("cards"))
    return render(request, "live/decks.html", {"form": form, "decks": decks})


def refuse_large_uploads(view: Any) -> Any:
    """A request body far over the picture limit is refused before it is read at all."""

    @wraps(view)
    def wrapper(request: PracticeRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > uploads.max_bytes() + UPLOAD_FORM_SLACK:
            messages.error(request, uploads.too_large())
            return redirect(request.path)
        return view(request, *args, **kwargs)

    return wrapper


# Room for the form's other fields beside the picture.
UPLOAD_FORM_SLACK = 64 * 1024


@member_required
@require_http_methods(["GET", "POST"])
@refuse_large_uploads
def live_deck(request: PracticeRequest, deck_uuid: UUID) -> HttpResponse:
    """One deck: its name and language, its cards, and the form that adds a card."""
    deck = access_deck(request.membership, deck_uuid)
    edit_form = DeckEditForm(request.POST if "rename" in request.POST else None, instance=deck)
    adding = "add" in request.POST
    card_form = CardForm(
        request.POST if adding else None,
        request.FILES if adding else None,
        pictures=deck.pictures,
        needs_image=deck.pictures,
    )
    if "rename" in request.POST and edit_form.is_valid():
        actions.update_deck(deck=deck, **edit_form.cleaned_data)
        messages.success(request, _("The deck was saved."))
        return redirect("live_deck", deck.uuid)
    if adding and card_form.is_valid():
        text = card_form.cleaned_data["text"]
        actions.add_card(deck=deck, text=text, image=card_form.picture)
        messages.success(request, _("The card was added."))
        return redirect("live_deck", deck.uuid)
    context = {"deck": deck, "edit_form": edit_form, "card_form": card_form}
    return render(request, "live/deck.html", {**context, "cards": deck.cards.all()})


@member_required
@require_http_methods(["GET", "POST"])
@refuse_large_uploads
def edit_live_card(request: PracticeRequest, deck_uuid: UUID, card_uuid: UUID) -> HttpResponse:
    deck = access_deck(request.membership, deck_uuid)
    card = access_card(request.membership, deck, card_uuid)
    initial = {"text": card.text}
    form = CardForm(
        request.POST or None, request.FILES or None, initial=initial, pictures=deck.pictures
    )
    if request.method == "POST" and form.is_valid():
        actions.update_card(card=card, text=form.cleaned_data["text"], image=form.picture)
        messages.success(request, _("The card was saved."))
        return redirect("live_deck", deck.uuid)
    return render(request, "live/card.html", {"deck": deck, "card": card, "form": form})


@member_required
@require_POST
def delete_live_card(request: PracticeRequest, deck_uuid: UUID, card_uuid: UUID) -> HttpResponse:
    deck = access_deck(request.membership, deck_uuid)
    actions.delete_card(card=access_card(request.membership, deck, card_uuid))
    messages.success(request, _("The card was removed."))
    return redirect("live_deck", deck.uuid)


@member_required
@require_POST
def delete_live_deck(request: PracticeRequest, deck_uuid: UUID) -> HttpResponse:
    deck = access_deck(request.membership, deck_uuid)
    try:
        actions.delete_deck(deck=deck)
    except actions.DeckInUse:
        messages.error(
            request, _("The deck is in use in an exercise that is running. End it first.")
        )
        return redirect("live_deck", deck.uuid)
    messages.success(request, _("The deck was deleted."))
    return redirect("live_decks")


def live_card_image(request: HttpRequest, card_uuid: UUID) -> HttpResponse:
    """An own card's picture, for those who may see it (``may_see_card``); a 404 for anyone
    else. Only re-encoded pictures are stored, and they are sent as what they are, never to
    be sniffed as anything else nor opened as a page of their own."""
    card = OwnCard.objects.filter(uuid=card_uuid).select_related("deck").first()
    data = uploads.read(card.image) if card is not None else None
    if card is None or data is None or not may_see_card(request, card):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = HttpResponse(data, content_type=card.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'attachment; filename="{card.uuid.hex}.webp"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

"""What the screens show: the presenter view, the supervisor's controls and each participant's
phone, built from the database alone (consumers keep no state)."""

import io
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from tila.live import board, turns
from tila.live.decks import find_deck, words_for
from tila.live.methods import (
    INFO,
    SCALE,
    Result,
    aggregate,
    dot_plot,
    line_plot,
    received,
    result_visible,
    word_bars,
)
from tila.live.models import (
    NOTE_LENGTH,
    TRANSITIONS,
    Answer,
    BoardNote,
    Method,
    Participant,
    Round,
    Run,
    State,
)

TEMPLATE = "live/_live.html"


def screen_group(run: Run) -> str:
    return f"live.{run.uuid.hex}.screen"


def people_group(run: Run) -> str:
    return f"live.{run.uuid.hex}.people"


def join_url(run: Run) -> str:
    return settings.SITE_URL + reverse("live_participant", args=[run.join_code])


def qr_svg(run: Run) -> SafeString:
    """The join address as a QR code, drawn as SVG on the server."""
    buffer = io.BytesIO()
    segno.make(join_url(run), error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=2
    )
    # segno writes only paths and attributes from our own address: nothing from a user.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308


def current_round(run: Run) -> Round:
    """The latest round (a run always has one: ``start_run`` makes the first)."""
    return run.rounds.order_by("-number")[0]


def round_result(run: Run, each: Round) -> tuple[int, Result | None]:
    """The number of answers and, when it may be shown, the result. On a board, the answers
    are the participants who have posted."""
    if run.method == Method.BOARD:
        count = board.posters(each)
        visible = result_visible(run, count)
        return count, board.result(run, each, count) if visible else None
    answers = list(each.answers.select_related("participant"))
    if not result_visible(run, len(answers)):
        return len(answers), None
    names = None if run.anonymous else [answer.participant.name or "–" for answer in answers]
    return len(answers), aggregate(run, [answer.value for answer in answers], names)


def charts(result: Result | None) -> dict[str, Any]:
    """The geometry of a result's SVG charts."""
    if result is None:
        return {}
    if result.method == Method.SCALE:
        return {"plot": dot_plot(result.scale_now, result.scale_next)}
    if result.method == Method.EMOTION:
        bars, height = word_bars(result)
        return {"plot": dot_plot(result.intensity), "bars": bars, "bars_height": height}
    if result.method == Method.STRENGTHS:
        bars, height = word_bars(result)
        return {"bars": bars, "bars_height": height}
    if result.method == Method.LINEUP:
        return {"plot": line_plot(result.positions)}
    if result.method == Method.BOARD:
        return {"board": board.result_view(result)}
    return {}


CONTROL_LABELS: dict[str, StrPromise] = {
    State.OPEN: _("Back to answering"),
    State.THINKING: _("Private thinking"),
    State.REVEALED: _("Reveal the result"),
    State.PAUSED: _("Pause"),
}


def screen_context(run: Run) -> dict[str, Any]:
    each = current_round(run)
    answered, result = round_result(run, each)
    return {
        "run": run,
        "round": each,
        "info": INFO[run.method],
        "joined": run.participants.count(),
        "answered": answered,
        "result": result,
        **charts(result),
        "below_k": answered < run.k,
        "deck": find_deck(run.deck),
        "join_url": join_url(run),
        "controls": [
            (state, CONTROL_LABELS[state])
            for state in TRANSITIONS[run.state]
            # A round has no answers to hide or reveal: only a pause.
            if run.method != Method.TURNS or state in (State.OPEN, State.PAUSED)
        ],
        "State": State,
        # The supervisor's tools to move and group a board's notes (hidden on the presenter).
        "tools": run.method == Method.BOARD and not run.is_ended,
        "board_areas": list(enumerate(board.area_labels(run)))
        if run.method == Method.BOARD
        else [],
        "turns": turns.view(run) if run.method == Method.TURNS else None,
        # The supervisor's steering of a round (hidden on the presenter, never on a phone).
        "steering": run.method == Method.TURNS and not run.is_ended,
    }


def render_screen_update(run: Run) -> str:
    return render_to_string(f"{TEMPLATE}#screen-update", screen_context(run))


# What a participant's copy of the shared part never has: the supervisor's tools.
PEOPLE = {"oob": True, "tools": False, "steering": False}


def render_updates(run: Run, *, people: bool) -> tuple[str, str]:
    """The screens' update and, when ``people``, the participants' shared part, from one
    reading of the run."""
    context = screen_context(run)
    screen = render_to_string(f"{TEMPLATE}#screen-update", context)
    if not people:
        return screen, ""
    return screen, render_to_string(f"{TEMPLATE}#people-shared", {**context, **PEOPLE})


def own_context(participant: Participant, each: Round, *, saved: bool = False) -> dict[str, Any]:
    """What a participant's own part of the panel needs: the form and their own answer."""
    run = participant.run
    answer = Answer.objects.filter(round=each, participant=participant).first()
    return {
        "run": run,
        "round": each,
        "info": INFO[run.method],
        "deck": find_deck(run.deck),
        "participant": participant,
        "answer": answer.value if answer else {},
        "saved": saved,
        "scale": SCALE,
        "emotions": words_for(run.method, run.deck),
        "answering": run.state in (State.OPEN, State.THINKING),
        "tools": False,
        "steering": False,
        "ws_url": reverse("live_participant", args=[run.join_code]),
        **(strengths_context(participant, each) if run.method == Method.STRENGTHS else {}),
        **(board_own_context(participant, each) if run.method == Method.BOARD else {}),
    }


def board_own_context(participant: Participant, each: Round) -> dict[str, Any]:
    """A board participant's own notes (drafts only they see), the areas to choose from and the
    dots they have given."""
    run = participant.run
    labels = board.area_labels(run)
    mine = list(
        BoardNote.objects.filter(round=each, participant=participant).order_by("created_at", "id")
    )
    dotted = board.my_dots(participant, each)
    return {
        "my_notes": [
            (note, board.note_text(run, note), labels[note.area] if note.area < len(labels) else "")
            for note in mine
        ],
        "has_drafts": any(not note.is_posted for note in mine),
        "area_choices": list(enumerate(labels)) if len(labels) > 1 else [],
        "area_question": board.area_question(run.layout),
        "note_length": NOTE_LENGTH,
        "my_dots": dotted,
        "dots_left": max(run.dots - len(dotted), 0),
        "voting": run.state != State.PAUSED and run.dots > 0,
    }


def render_own_shared(participant: Participant) -> str:
    """A board or round participant's shared part, with their own dots or turn."""
    return render_to_string(
        f"{TEMPLATE}#people-shared", {**participant_context(participant), "oob": True}
    )


def strengths_context(participant: Participant, each: Round) -> dict[str, Any]:
    """A participant's colleagues to give to, what they gave, and what they received (only
    when the round's result may be shown: at least k givers, and revealed or live)."""
    run = participant.run
    people = list(run.participants.exclude(pk=participant.pk).order_by("name", "id"))
    values = list(each.answers.values_list("value", flat=True))
    mine: dict[str, Any] = next(
        (a.value for a in each.answers.filter(participant=participant)), {"given": {}}
    )
    names = {person.uuid.hex: person.name or "–" for person in people}
    names[participant.uuid.hex] = str(_("Myself"))
    strengths = words_for(run.method, run.deck)
    words = {card.key: card for card in strengths}
    return {
        "colleagues": people,
        "strengths": strengths,
        "given": [
            (names.get(to, "–"), [words[key] for key in keys if key in words])
            for to, keys in mine["given"].items()
        ],
        "received": (
            received(values, participant.uuid.hex, strengths)
            if result_visible(run, len(values))
            else None
        ),
    }


def render_received(participant: Participant) -> str:
    """A strengths participant's own received strengths and list of colleagues."""
    context = own_context(participant, current_round(participant.run))
    return render_to_string(f"{TEMPLATE}#strengths-own", {**context, "oob": True})


def participant_context(participant: Participant, *, saved: bool = False) -> dict[str, Any]:
    context = screen_context(participant.run)
    context.update(own_context(participant, context["round"], saved=saved))
    return context


def render_participant_saved(participant: Participant) -> str:
    """The reply to an accepted answer: the participant's own part only (the shared part
    reaches everyone, the sender too, in the broadcast)."""
    context = own_context(participant, current_round(participant.run), saved=True)
    return render_to_string(f"{TEMPLATE}#participant-saved", context)


def render_participant_panel(participant: Participant, *, saved: bool = False) -> str:
    return render_to_string(
        f"{TEMPLATE}#participant-panel",
        {**participant_context(participant, saved=saved), "oob": True},
    )

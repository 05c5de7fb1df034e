"""Changes to live exercises. Each change is saved first and then broadcast to the run's
screens and participants as rendered HTML, after the transaction commits."""

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.keys.sealing import seal, unseal
from tila.live import board, screens, turns, uploads
from tila.live.decks import is_own_key
from tila.live.fanout import CHANGED, RECEIVED, STATE, fanout
from tila.live.methods import AnswerError, Result, aggregate, parse_answer, result_visible
from tila.live.models import (
    TRANSITIONS,
    Answer,
    BoardDot,
    BoardNote,
    Layout,
    Method,
    OwnCard,
    OwnDeck,
    Participant,
    Phase,
    Round,
    Run,
    Snapshot,
    State,
)
from tila.meetings.models import Meeting
from tila.practices.models import Membership


def broadcast(run: Run, kind: str) -> None:
    """Tell the run's screens and participants, once the current transaction commits."""
    run_id = run.pk
    transaction.on_commit(lambda: fanout.announce(run_id, kind))


def _own_words(method: str, deck: str) -> bool:
    """An emotion check-in or strengths with the supervisor's own word deck."""
    return method in (Method.EMOTION, Method.STRENGTHS) and is_own_key(deck)


def start_run(
    *,
    meeting: Meeting,
    actor: User,
    method: str,
    prompt: str,
    deck: str = "",
    anonymous: bool = True,
    k: int = 3,
    show_live: bool = False,
    second_mark: bool = False,
    left_label: str = "",
    right_label: str = "",
    layout: str = "",
    area_labels: str = "",
    dots: int = 3,
    turn_seconds: int = 120,
    reflecting: bool = False,
) -> Run:
    """A new run, open for answers, with its first prompt and a fresh join code."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                run = Run.objects.create(
                    practice=meeting.practice,
                    meeting=meeting,
                    started_by=actor,
                    method=method,
                    deck=deck if method == Method.CARDS or _own_words(method, deck) else "",
                    anonymous=anonymous,
                    k=k,
                    show_live=show_live,
                    second_mark=second_mark and method == Method.SCALE,
                    left_label=left_label if method == Method.LINEUP else "",
                    right_label=right_label if method == Method.LINEUP else "",
                    layout=(layout or Layout.FREE) if method == Method.BOARD else "",
                    area_labels=area_labels if layout == Layout.FOUR else "",
                    dots=dots,
                    turn_seconds=turn_seconds,
                    reflecting=reflecting and method == Method.TURNS,
                    phase=Phase.CASE if reflecting and method == Method.TURNS else "",
                )
                Round.objects.create(run=run, number=1, prompt=prompt)
                return run
        except IntegrityError:
            continue  # the join code was taken by another running run: draw again
    raise RuntimeError("no free join code")


@transaction.atomic
def change_state(*, run: Run, state: str, actor: User) -> Run:
    """Move the run to ``state`` if the supervisor's controls allow it from where it is."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if state not in TRANSITIONS[run.state]:
        raise ValueError(f"{run.state} -> {state}")
    run.state = state
    run.save(update_fields=["state", "changed_at"])
    broadcast(run, STATE)
    return run


@transaction.atomic
def next_prompt(*, run: Run, prompt: str, actor: User) -> Round:
    """A new round with a new prompt, open for answers; earlier answers stay until the end."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.is_ended:
        raise ValueError("ended")
    number = run.rounds.count() + 1
    new_round = Round.objects.create(run=run, number=number, prompt=prompt)
    run.state = State.OPEN
    run.save(update_fields=["state", "changed_at"])
    broadcast(run, STATE)
    return new_round


@transaction.atomic
def end_run(*, run: Run, actor: User, save: bool) -> Run:
    """End the run. With ``save`` the aggregated results (rounds under k withheld) are sealed
    into a snapshot on the meeting's record; the answers and participants are deleted either
    way."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.is_ended:
        return run
    if save:
        rounds = []
        for each in run.rounds.all():
            rounds.append(_saved_round(run, each))
        snapshot = Snapshot(practice=run.practice, meeting=run.meeting, run=run, created_by=actor)
        snapshot.data = seal(
            run.practice, json.dumps({"rounds": rounds, "k": run.k}), context=snapshot.context
        )
        snapshot.save()
        record_event(
            actor=actor,
            practice=run.practice,
            object_type="live.Snapshot",
            object_id=snapshot.uuid,
            action=Action.CREATE,
            detail={"rounds": len(rounds)},
        )
    Answer.objects.filter(round__run=run).delete()
    run.participants.all().delete()
    run.state = State.ENDED
    run.ended_at = timezone.now()
    run.saved = save
    run.save(update_fields=["state", "ended_at", "saved", "changed_at"])
    broadcast(run, STATE)
    return run


def _saved_round(run: Run, each: Round) -> dict[str, Any]:
    """One round as a snapshot keeps it: aggregates without names, or nothing under k."""
    if run.method == Method.BOARD:
        count = board.posters(each)
        result = board.result(run, each, count) if count >= run.k else None
    else:
        values = [answer.value for answer in each.answers.all()]
        count = len(values)
        result = aggregate(run, values) if count >= run.k else None
    return {
        "number": each.number,
        "prompt": each.prompt,
        "count": count,
        "withheld": result is None,
        "result": None if result is None else result.to_data(),
    }


def read_snapshot(snapshot: Snapshot, *, actor: User) -> list[dict[str, Any]]:
    """The saved rounds, each with its ``Result`` (or None when withheld); the read is logged."""
    data = json.loads(unseal(snapshot.practice, snapshot.data, context=snapshot.context))
    record_event(
        actor=actor,
        practice=snapshot.practice,
        object_type="live.Snapshot",
        object_id=snapshot.uuid,
        action=Action.READ,
    )
    rounds = data["rounds"]
    for each in rounds:
        if each["result"] is not None:
            each["result"] = Result.from_data(each["result"], snapshot.run.deck)
            each.update(screens.charts(each["result"]))
    return list(rounds)


@transaction.atomic
def join_run(*, run: Run, user: User | None, name: str = "") -> Participant:
    """A participant of the run: the logged-in supervisee by name, or a pseudonymous device."""
    if user is not None:
        existing = Participant.objects.filter(run=run, user=user).first()
        if existing is not None:
            return existing
        participant = Participant.objects.create(run=run, user=user, name=user.name[:60])
    else:
        participant = Participant.objects.create(run=run, name=name.strip()[:60])
    if run.method == Method.TURNS:
        # A newcomer speaks after those already in the order.
        last = run.participants.exclude(pk=participant.pk).order_by("-speaking_order").first()
        participant.speaking_order = (last.speaking_order + 1) if last else 0
        participant.save(update_fields=["speaking_order"])
    broadcast(run, RECEIVED if run.method == Method.STRENGTHS else CHANGED)
    return participant


@transaction.atomic
def submit_answer(*, participant: Participant, data: dict[str, Any]) -> Answer:
    """Save (or replace) the participant's answer to the current round. Answers are taken
    while the round is open or in private thinking, never after the reveal."""
    run = Run.objects.get(pk=participant.run_id)
    if run.state not in (State.OPEN, State.THINKING):
        raise AnswerError("not answering now")
    value = parse_answer(run, data)
    current = screens.current_round(run)
    if run.method == Method.STRENGTHS:
        value = _with_gift(run, current, participant, value)
    answer, _created = Answer.objects.update_or_create(
        round=current, participant=participant, defaults={"value": value}
    )
    broadcast(run, RECEIVED if run.method == Method.STRENGTHS else CHANGED)
    return answer


def _with_gift(
    run: Run, current: Round, giver: Participant, gift: dict[str, Any]
) -> dict[str, Any]:
    """A strengths answer holds all the giver's gifts: ``{"given": {participant hex: [words]}}``.
    A gift goes to the giver or to another participant of the run; no words takes it back."""
    if not run.participants.filter(uuid=gift["to"]).exists():
        raise AnswerError("no such participant")
    existing = Answer.objects.filter(round=current, participant=giver).first()
    given = dict(existing.value.get("given", {})) if existing else {}
    if gift["words"]:
        given[gift["to"]] = gift["words"]
    else:
        given.pop(gift["to"], None)
    return {"given": given}


MAX_NOTES = 30


@transaction.atomic
def act_on_board(*, participant: Participant, data: dict[str, Any]) -> bool:
    """A participant's board message (``tila.live.board.parse_message``): write a private note,
    post or delete one's own, post all, or give or take back a dot. Returns whether the
    participant's own notes changed. Notes are written and posted while answering; dots are
    given while the board is shown."""
    run = Run.objects.get(pk=participant.run_id)
    message = board.parse_message(run, data)
    current = screens.current_round(run)
    if message.action == "dot":
        _toggle_dot(run, current, participant, message)
        broadcast(run, CHANGED)
        return False
    if run.state not in (State.OPEN, State.THINKING):
        raise AnswerError("not writing now")
    mine = BoardNote.objects.filter(round=current, participant=participant)
    if message.action == "write":
        if mine.count() >= MAX_NOTES:
            raise AnswerError("too many notes")
        written = BoardNote(round=current, participant=participant, area=message.area)
        board.seal_note(run, written, message.text)
        written.save()
        return True
    if message.action == "post-all":
        drafts = list(mine.filter(posted_at__isnull=True).order_by("id"))
    else:
        note = mine.filter(uuid=message.note).first()
        if note is None:
            raise AnswerError("no such note")
        if message.action == "delete":
            note.delete()
            if note.is_posted:
                broadcast(run, CHANGED)
            return True
        drafts = [] if note.is_posted else [note]
    if drafts:
        _post(run, current, drafts)
        broadcast(run, CHANGED)
    return True


def _post(run: Run, current: Round, notes: list[BoardNote]) -> None:
    Run.objects.select_for_update().filter(pk=run.pk).first()  # one poster at a time
    last = current.notes.filter(posted_at__isnull=False).order_by("-position").first()
    position = last.position + 1 if last else 0
    now = timezone.now()
    for offset, note in enumerate(notes):
        note.posted_at = now
        note.position = position + offset
        note.save(update_fields=["posted_at", "position"])


def _toggle_dot(run: Run, current: Round, participant: Participant, message: board.Message) -> None:
    if run.state == State.PAUSED or not result_visible(run, board.posters(current)):
        raise AnswerError("not voting now")
    note = current.notes.filter(uuid=message.note, posted_at__isnull=False).first()
    if note is None:
        raise AnswerError("no such note")
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    existing = BoardDot.objects.filter(note=note, participant=participant).first()
    if existing is not None:
        existing.delete()
        return
    if BoardDot.objects.filter(participant=participant, note__round=current).count() >= run.dots:
        raise AnswerError("no dots left")
    BoardDot.objects.create(note=note, participant=participant)


MOVES = ("area", "earlier", "later", "group", "ungroup")


@transaction.atomic
def move_board_note(
    *, run: Run, note_uuid: Any, move: str, actor: User, area: int = 0, group: int = 0
) -> BoardNote:
    """The supervisor moves a posted note: to another area, earlier or later in the board's
    order, into a group (0 starts a new one; a note joins its group's area) or out of it."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.is_ended or run.method != Method.BOARD or move not in MOVES:
        raise ValueError("not movable")
    current = screens.current_round(run)
    notes = list(current.notes.filter(posted_at__isnull=False).order_by("position", "id"))
    note = next((each for each in notes if each.uuid == note_uuid), None)
    if note is None:
        raise ValueError("no such note")
    if move == "area":
        if not 0 <= area < len(board.area_labels(run)):
            raise ValueError("no such area")
        note.area, note.group = area, 0
    elif move in ("earlier", "later"):
        index = notes.index(note)
        other = index - 1 if move == "earlier" else index + 1
        if 0 <= other < len(notes):
            notes[index], notes[other] = notes[other], notes[index]
        for position, each in enumerate(notes):
            if each.position != position:
                each.position = position
                if each is not note:
                    each.save(update_fields=["position"])
    elif move == "group":
        groups = {each.group: each.area for each in notes if each.group}
        if group and group not in groups:
            raise ValueError("no such group")
        note.group = group or max(groups, default=0) + 1
        note.area = groups.get(group, note.area)
    else:
        note.group = 0
    note.save(update_fields=["area", "group", "position"])
    broadcast(run, CHANGED)
    return note


TURN_ACTIONS = ("shuffle", "up", "down", "next", "previous", "restart", "phase")


@transaction.atomic
def steer_turns(
    *, run: Run, action: str, actor: User, participant_uuid: Any = None, phase: str = ""
) -> Run:
    """The supervisor steers a round: draw or change the speaking order, give the turn to the
    next or previous speaker (the time starts again), restart the time, or set the phase."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.is_ended or run.method != Method.TURNS or action not in TURN_ACTIONS:
        raise ValueError("not a round")
    people = turns.speaking_order(run)
    if action == "shuffle":
        random.SystemRandom().shuffle(people)
        run.speaker, run.turn_started_at = None, None
    elif action in ("up", "down"):
        index = next((i for i, p in enumerate(people) if p.uuid == participant_uuid), None)
        if index is None:
            raise ValueError("no such participant")
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(people):
            people[index], people[other] = people[other], people[index]
    elif action in ("next", "previous"):
        index = next((i for i, p in enumerate(people) if p.pk == run.speaker_id), None)
        if index is None:
            index = -1 if action == "next" else len(people)
        index += 1 if action == "next" else -1
        run.speaker = people[index] if 0 <= index < len(people) else None
        run.turn_started_at = timezone.now()
    elif action == "restart":
        run.turn_started_at = timezone.now()
    else:
        if not run.reflecting or phase not in Phase.values:
            raise ValueError("no such phase")
        run.phase = phase
    for order, person in enumerate(people):
        if person.speaking_order != order:
            person.speaking_order = order
            person.save(update_fields=["speaking_order"])
    run.save(update_fields=["speaker", "turn_started_at", "phase", "changed_at"])
    broadcast(run, CHANGED)
    return run


# Own decks. A picture is re-encoded before anything is saved (``tila.live.uploads``); its file
# is removed when the card or the deck is, after the transaction commits.


class DeckInUse(Exception):
    """The deck is used by an exercise that is still running."""


def create_deck(*, membership: Membership, name: str, language: str, pictures: bool) -> OwnDeck:
    return OwnDeck.objects.create(
        practice=membership.practice,
        owner=membership,
        name=name,
        language=language,
        pictures=pictures,
    )


def update_deck(*, deck: OwnDeck, name: str, language: str) -> OwnDeck:
    deck.name = name
    deck.language = language
    deck.save(update_fields=["name", "language"])
    return deck


@contextmanager
def _new_picture(deck: OwnDeck, image: bytes | None) -> Iterator[str]:
    """The stored file's name for a new picture ("" for none), for a transaction inside this
    block: when the block fails, its commit included, the file is removed."""
    name = uploads.store(deck.practice.uuid.hex, image) if image is not None else ""
    try:
        yield name
    except BaseException:
        if name:
            uploads.remove(name)
        raise


def _remove_after_commit(names: list[str]) -> None:
    def remove_all() -> None:
        for name in names:
            uploads.remove(name)

    transaction.on_commit(remove_all)


@transaction.atomic
def delete_deck(*, deck: OwnDeck) -> None:
    """Delete the deck and its cards; refused while a running exercise uses it."""
    deck = OwnDeck.objects.select_for_update().get(pk=deck.pk)
    if Run.objects.filter(deck=deck.key).exclude(state=State.ENDED).exists():
        raise DeckInUse
    _remove_after_commit([card.image for card in deck.cards.all() if card.image])
    deck.delete()


def add_card(*, deck: OwnDeck, text: str, image: bytes | None = None) -> OwnCard:
    """A card at the end of the deck; ``image`` is a picture already re-encoded."""
    with _new_picture(deck, image) as name, transaction.atomic():
        position = (deck.cards.aggregate(top=Max("position"))["top"] or 0) + 1
        card = OwnCard(deck=deck, position=position, text=text)
        if name:
            card.image, card.image_type = name, uploads.STORED_TYPE
        card.save()
    return card


def update_card(*, card: OwnCard, text: str, image: bytes | None = None) -> OwnCard:
    with _new_picture(card.deck, image) as name, transaction.atomic():
        card.text = text
        if name:
            if card.image:
                _remove_after_commit([card.image])
            card.image, card.image_type = name, uploads.STORED_TYPE
        card.save(update_fields=["text", "image", "image_type"])
    return card


@transaction.atomic
def delete_card(*, card: OwnCard) -> None:
    if card.image:
        _remove_after_commit([card.image])
    card.delete()

"""Changes to live exercises. Each change is saved first and then broadcast to the run's
screens and participants as rendered HTML, after the transaction commits."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.keys.sealing import seal, unseal
from tila.live import screens, uploads
from tila.live.decks import is_own_key
from tila.live.methods import AnswerError, Result, aggregate, parse_answer
from tila.live.models import (
    TRANSITIONS,
    Answer,
    Method,
    OwnCard,
    OwnDeck,
    Participant,
    Round,
    Run,
    Snapshot,
    State,
)
from tila.meetings.models import Meeting
from tila.practices.models import Membership

# Broadcast kinds: "changed" (counts or result may differ: everyone gets the shared parts) and
# "state" (the run's state or prompt changed: every participant's own panel is redrawn too).
CHANGED = "changed"
STATE = "state"
# "received" (strengths): the shared parts, and each participant's own received strengths and
# list of colleagues.
RECEIVED = "received"


def _send(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(send_all)()
        return
    # Synchronous code in a thread that runs an event loop (a test harness, never a server
    # worker): async_to_sync refuses that thread, so send from a short-lived one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, send_all()).result()


def broadcast(run: Run, kind: str) -> None:
    """Tell the run's screens and participants, once the current transaction commits."""

    def send() -> None:
        fresh = Run.objects.get(pk=run.pk)
        screen_html, people_html = screens.render_updates(fresh)
        people: dict[str, Any] = (
            {"type": "live.refresh"}
            if kind == STATE
            else {"type": "live.html", "html": people_html}
        )
        messages = [
            (screens.screen_group(fresh), {"type": "live.html", "html": screen_html}),
            (screens.people_group(fresh), people),
        ]
        if kind == RECEIVED:
            messages.append((screens.people_group(fresh), {"type": "live.received"}))
        _send(messages)

    transaction.on_commit(send)


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
            values = [answer.value for answer in each.answers.all()]
            withheld = len(values) < run.k
            rounds.append(
                {
                    "number": each.number,
                    "prompt": each.prompt,
                    "count": len(values),
                    "withheld": withheld,
                    "result": None if withheld else aggregate(run, values).to_data(),
                }
            )
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


@transaction.atomic
def add_card(*, deck: OwnDeck, text: str, image: bytes | None = None) -> OwnCard:
    """A card at the end of the deck; ``image`` is a picture already re-encoded."""
    position = (deck.cards.aggregate(top=Max("position"))["top"] or 0) + 1
    card = OwnCard(deck=deck, position=position, text=text)
    if image is not None:
        card.image = uploads.store(deck.practice.uuid.hex, image)
        card.image_type = uploads.STORED_TYPE
    card.save()
    return card


@transaction.atomic
def update_card(*, card: OwnCard, text: str, image: bytes | None = None) -> OwnCard:
    card.text = text
    if image is not None:
        if card.image:
            _remove_after_commit([card.image])
        card.image = uploads.store(card.deck.practice.uuid.hex, image)
        card.image_type = uploads.STORED_TYPE
    card.save(update_fields=["text", "image", "image_type"])
    return card


@transaction.atomic
def delete_card(*, card: OwnCard) -> None:
    if card.image:
        _remove_after_commit([card.image])
    card.delete()

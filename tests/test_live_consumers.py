"""The WebSocket side of live exercises, through the real ASGI application (Origin check,
sessions, routing) with Channels' WebsocketCommunicator and the in-memory channel layer."""

import asyncio
import json
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from channels.testing.websocket import WebsocketCommunicator
from django.test import Client as HttpClient

from tests.live_helpers import ORIGIN, cookie_header, join, run_in
from tila.asgi import application
from tila.live import board
from tila.live.actions import change_state, end_run, submit_answer
from tila.live.consumers import CLOSE_FLOOD, CLOSE_NOT_ALLOWED, CLOSE_TOO_BIG, MAX_FRAME
from tila.live.models import Answer, BoardNote, Participant, Run

pytestmark = pytest.mark.django_db(transaction=True)


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run the scenario in a thread of its own: the browser tests' Playwright keeps an event
    loop in the main thread for the whole session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, test()).result()


def phone(run: Run, participant: Participant | None, origin: bytes = ORIGIN[1]) -> Any:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if participant is not None:
        headers.append(cookie_header(participant))
    return WebsocketCommunicator(application, f"/ws/live/{run.uuid}/", headers=headers)


def screen(run: Run, user: Any | None) -> Any:
    headers = [ORIGIN, (b"host", b"127.0.0.1")]
    if user is not None:
        http = HttpClient()
        http.force_login(user)
        headers.append((b"cookie", f"sessionid={http.cookies['sessionid'].value}".encode()))
    return WebsocketCommunicator(application, f"/ws/live/{run.uuid}/screen/", headers=headers)


# How long a socket must stay quiet before ``drain`` takes it that everything has arrived:
# generous, as the suite runs in parallel processes on a busy machine.
QUIET = 0.6


async def drain(communicator: Any) -> list[str]:
    """Everything the server has sent so far."""
    out = []
    while not await communicator.receive_nothing(timeout=QUIET):
        out.append(await communicator.receive_from())
    return out


async def until(communicator: Any, text: str, timeout: float = 10) -> str:
    """What the server sends until ``text`` has arrived (for a reply that may wait behind a
    backlog of frames), then whatever follows at once."""
    out = ""
    deadline = asyncio.get_running_loop().time() + timeout
    while text not in out:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, f"{text!r} did not arrive: {out[-500:]!r}"
        out += await communicator.receive_from(timeout=left)
    return out + "".join(await drain(communicator))


def test_a_participant_answers_and_the_screen_counts_it_without_showing_the_answer(world):
    run = run_in(world.meeting, world.owner, k=3)
    participant = join(run)

    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        own = phone(run, participant)
        connected, _code = await own.connect()
        assert connected
        panel = await own.receive_from(timeout=10)
        assert 'id="live-panel"' in panel and "Missä tiimi on nyt?" in panel
        assert (await supervisor.connect())[0]
        await own.send_to(text_data=json.dumps({"now": "7", "HEADERS": {"HX-Request": "true"}}))
        reply = await own.receive_from(timeout=10)
        assert "Vastauksesi on vastaanotettu" in reply
        seen = "".join(await drain(supervisor))
        assert "<strong>1</strong> vastannut" in seen
        assert "vastauksia on vähintään 3" in seen and "<circle" not in seen
        await own.disconnect()
        await supervisor.disconnect()

    run_async(scenario)
    assert Answer.objects.get().value == {"now": 7}


def test_a_screen_that_connects_late_shows_what_happened_before_it(world):
    """A presenter whose socket opens after the page was drawn, or comes back after a dropped
    connection, is brought up to date at once rather than at the next change."""
    run = run_in(world.meeting, world.owner, k=3)
    for value in (3, 5):
        submit_answer(participant=join(run), data={"now": str(value)})

    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        assert (await supervisor.connect())[0]
        first = await supervisor.receive_from(timeout=10)
        assert "<strong>2</strong> vastannut" in first and "<circle" not in first
        await supervisor.disconnect()

    run_async(scenario)


def test_each_screen_and_phone_gets_updates_in_its_own_language(world):
    """The shared drawing is made once; a phone or presenter with English chosen gets its own
    copy in English, whichever language the person who caused the change reads."""
    run = run_in(world.meeting, world.owner, k=3)
    finnish, english = join(run), join(run)
    in_english = (b"cookie", cookie_header(english)[1] + b"; django_language=en")

    supervisor = screen(run, world.owner)
    supervisor.scope["headers"] = [
        (name, value + b"; django_language=en" if name == b"cookie" else value)
        for name, value in supervisor.scope["headers"]
    ]

    async def scenario() -> None:
        fi_phone = phone(run, finnish)
        en_phone = WebsocketCommunicator(
            application,
            f"/ws/live/{run.uuid}/",
            headers=[ORIGIN, (b"host", b"127.0.0.1"), in_english],
        )
        for communicator in (fi_phone, en_phone, supervisor):
            assert (await communicator.connect())[0]
        await drain(fi_phone), await drain(en_phone), await drain(supervisor)
        for sender, value in ((fi_phone, "4"), (en_phone, "6")):
            await sender.send_to(text_data=json.dumps({"now": value}))
            count = 1 if value == "4" else 2
            await until(fi_phone, f"<strong>{count}</strong> vastannut")
            en_seen = await until(en_phone, f"<strong>{count}</strong> answered")
            on_screen = await until(supervisor, f"<strong>{count}</strong> answered")
            assert "vastannut" not in en_seen + on_screen
        for communicator in (fi_phone, en_phone, supervisor):
            await communicator.disconnect()

    run_async(scenario)


def test_a_participant_without_a_token_is_refused(world):
    run = run_in(world.meeting, world.owner)

    async def scenario() -> None:
        connected, code = await phone(run, None).connect()
        assert not connected and code == CLOSE_NOT_ALLOWED

    run_async(scenario)


def test_another_runs_token_does_not_open_this_run(world):
    run = run_in(world.meeting, world.owner)
    other = run_in(world.meeting, world.owner, method="cards")
    stranger = join(other)

    async def scenario() -> None:
        communicator = WebsocketCommunicator(
            application,
            f"/ws/live/{run.uuid}/",
            headers=[ORIGIN, (b"host", b"127.0.0.1"), cookie_header(stranger)],
        )
        connected, code = await communicator.connect()
        assert not connected and code == CLOSE_NOT_ALLOWED

    run_async(scenario)


def test_an_ended_run_takes_no_connections(world):
    run = run_in(world.meeting, world.owner)
    participant = join(run)
    cookie = cookie_header(participant)
    end_run(run=run, actor=world.owner, save=False)

    async def scenario() -> None:
        communicator = WebsocketCommunicator(
            application, f"/ws/live/{run.uuid}/", headers=[ORIGIN, (b"host", b"127.0.0.1"), cookie]
        )
        connected, _code = await communicator.connect()
        assert not connected

    run_async(scenario)


def test_a_foreign_origin_is_refused(world):
    run = run_in(world.meeting, world.owner)
    participant = join(run)

    async def scenario() -> None:
        connected, _code = await phone(run, participant, origin=b"https://evil.example").connect()
        assert not connected

    run_async(scenario)


@pytest.mark.parametrize("who", ["anonymous", "assistant", "colleague", "other_owner"])
def test_only_the_meetings_supervisor_opens_the_screen(world, who):
    run = run_in(world.meeting, world.owner)
    user = None if who == "anonymous" else getattr(world, who)
    refused, allowed = screen(run, user), screen(run, world.owner)

    async def scenario() -> None:
        connected, code = await refused.connect()
        assert not connected and code == CLOSE_NOT_ALLOWED
        assert (await allowed.connect())[0]

    run_async(scenario)


MALFORMED: list[str] = [
    " ",
    "{",
    "null",
    "[]",
    "42",
    '"text"',
    "{}",
    '{"word": null}',
    '{"word": 5, "intensity": "x"}',
    '{"word": ["joy","joy"], "intensity": 3}',
    '{"word": ["joy","calm","hope","fear"], "intensity": 3}',
    '{"word": ["no-such"], "intensity": 3}',
    '{"word": ["joy"], "intensity": 11}',
    '{"word": ["joy"], "intensity": true}',
    '{"word": ["joy"], "intensity": -1}',
    '{"word": {"a": 1}, "intensity": [1]}',
    '{"now": 1e999}',
    '{"card": "path"}',
    "\u0000\ud7ff",
    '{"word": ["joy"], "intensity": "99999999999999999999"}',
    # Boards
    '{"action": null}',
    '{"action": ["write"]}',
    '{"action": "write"}',
    '{"action": "write", "text": "   "}',
    '{"action": "write", "text": 5}',
    '{"action": "write", "text": {"a": 1}}',
    '{"action": "write", "text": "' + "x" * 281 + '"}',
    '{"action": "write", "text": "ok", "area": 9}',
    '{"action": "write", "text": "ok", "area": true}',
    '{"action": "write", "text": "ok", "area": "-1"}',
    '{"action": "post", "note": "nope"}',
    '{"action": "post", "note": "' + "z" * 32 + '"}',
    '{"action": "delete", "note": 7}',
    '{"action": "dot", "note": "' + "0" * 32 + '"}',
    '{"action": "dot"}',
    '{"action": "move", "note": "' + "0" * 32 + '", "area": 1}',
    '{"action": "post-all", "note": [1, 2]}',
]

# Per method: a last, proper frame, and what it leaves in the database.
PROPER = {
    "emotion": '{"word": ["joy", "calm"], "intensity": "6"}',
    "board": '{"action": "write", "text": "Kiire", "area": "2"}',
    "turns": '{"action": "next"}',  # a participant does not steer a round: refused
}


@pytest.mark.parametrize("method", ["emotion", "board", "turns"])
def test_a_thousand_malformed_frames_do_not_crash_the_consumer(world, settings, method):
    settings.TILA_LIVE_RATE_LIMIT = (100_000.0, 100_000, 100_000)
    options = {"layout": "four"} if method == "board" else {}
    run = run_in(world.meeting, world.owner, method=method, **options)
    participant = join(run)

    async def scenario() -> None:
        own = phone(run, participant)
        assert (await own.connect())[0]
        await own.receive_from(timeout=10)
        for index in range(1000):
            await own.send_to(text_data=MALFORMED[index % len(MALFORMED)])
        await drain(own)
        # Still connected and still answering properly.
        await own.send_to(text_data=PROPER[method])
        expected = {"emotion": "Vastauksesi on vastaanotettu", "board": "Kiire"}
        await until(own, expected.get(method, "live-error"))
        await own.disconnect()

    run_async(scenario)
    if method == "turns":
        assert not Answer.objects.exists() and Run.objects.get().speaker is None
    elif method == "board":
        note = BoardNote.objects.get()
        assert (board.note_text(run, note), note.area, note.posted_at) == ("Kiire", 2, None)
        assert "Kiire" not in note.text
    else:
        assert Answer.objects.get().value == {"words": ["joy", "calm"], "intensity": 6}


def test_a_flooding_client_is_cut_off_and_the_others_go_on(world):
    run = run_in(world.meeting, world.owner)
    flooder, calm = join(run), join(run)

    async def scenario() -> None:
        loud = phone(run, flooder)
        quiet = phone(run, calm)
        assert (await loud.connect())[0] and (await quiet.connect())[0]
        await drain(loud)
        await drain(quiet)
        for _ in range(200):
            await loud.send_to(text_data=json.dumps({"now": "3"}))
        closed = None
        while closed is None:
            message = await loud.receive_output(timeout=5)
            if message["type"] == "websocket.close":
                closed = message["code"]
        assert closed == CLOSE_FLOOD
        await quiet.send_to(text_data=json.dumps({"now": "8"}))
        await until(quiet, "Vastauksesi on vastaanotettu")
        await quiet.disconnect()

    run_async(scenario)
    assert Answer.objects.get(participant=calm).value == {"now": 8}
    # The flooder's first answers went through before the limit: its answer is one row.
    assert Answer.objects.filter(participant=flooder).count() == 1


def test_a_frame_over_the_size_limit_closes_the_socket(world):
    run = run_in(world.meeting, world.owner)
    participant = join(run)

    async def scenario() -> None:
        own = phone(run, participant)
        assert (await own.connect())[0]
        await drain(own)
        await own.send_to(text_data=json.dumps({"now": "1", "pad": "x" * MAX_FRAME}))
        assert await own.receive_output(timeout=2) == {
            "type": "websocket.close",
            "code": CLOSE_TOO_BIG,
        }

    run_async(scenario)
    assert not Answer.objects.exists()


def test_cards_are_picked_privately_and_revealed_together(world):
    run = run_in(world.meeting, world.owner, method="cards", k=3)
    people = [join(run) for _ in range(3)]
    picks = ["bridge", "path", "bridge"]

    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        assert (await supervisor.connect())[0]
        phones = [phone(run, person) for person in people]
        for each in phones:
            assert (await each.connect())[0]
            await drain(each)
        await phones[0].send_to(text_data=json.dumps({"card": "no-such-card"}))
        assert "ei voitu ottaa vastaan" in "".join(await drain(phones[0]))
        for each, card in zip(phones, picks, strict=True):
            await each.send_to(text_data=json.dumps({"card": card}))
            await drain(each)
        before = "".join(await drain(supervisor))
        assert "<strong>3</strong> vastannut" in before and "pictures/bridge.svg" not in before
        await change_state_async(run, "revealed", world.owner)
        after = "".join(await drain(supervisor))
        assert after.count("pictures/bridge.svg") == 2 and after.count("pictures/path.svg") == 1
        refreshed = "".join(await drain(phones[1]))
        assert refreshed.count("pictures/bridge.svg") >= 2  # the grid, besides the deck
        for each in phones:
            await each.disconnect()
        await supervisor.disconnect()

    run_async(scenario)


async def change_state_async(run: Run, state: str, actor: Any) -> None:
    from channels.db import database_sync_to_async

    await database_sync_to_async(change_state)(run=run, state=state, actor=actor)


def test_a_scale_shows_nothing_with_two_answers_and_the_plot_with_three(world):
    run = run_in(world.meeting, world.owner, k=3, show_live=True)
    people = [join(run) for _ in range(3)]

    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        assert (await supervisor.connect())[0]
        phones = [phone(run, person) for person in people]
        for each in phones:
            assert (await each.connect())[0]
            await drain(each)
        for each, value in zip(phones[:2], (4, 6), strict=True):
            await each.send_to(text_data=json.dumps({"now": value}))
        await drain(phones[0])
        seen = "".join(await drain(supervisor)) + "".join(await drain(phones[2]))
        assert "<circle" not in seen and "vastauksia on vähintään 3" in seen
        await phones[2].send_to(text_data=json.dumps({"now": 6}))
        await drain(phones[2])
        seen = "".join(await drain(supervisor))
        assert seen.count('class="dot"') == 3
        assert "<circle" in "".join(await drain(phones[0]))
        for each in phones:
            await each.disconnect()
        await supervisor.disconnect()

    run_async(scenario)

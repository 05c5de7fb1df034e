"""Updates of a run are drawn once per moment on the live sockets' loop: announcements that
arrive while one waits to be drawn join it, and nothing saved is missed."""

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from tests.live_helpers import join, run_in
from tila.live import screens
from tila.live.actions import change_state, submit_answer
from tila.live.fanout import fanout

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop in a thread of its own, as a server's live sockets have."""
    loop = asyncio.new_event_loop()

    def serve() -> None:
        loop.run_forever()
        # Closed in its own thread: the Redis layer flushes itself on close by running the
        # loop, which a thread with another running loop (Playwright's) may not do.
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    assert loop.is_closed()


def listen(loop: asyncio.AbstractEventLoop, *groups: str) -> tuple[Any, list[str]]:
    """A channel in ``groups`` on the loop; returns the layer and the channel's name."""
    layer = get_channel_layer()

    async def add() -> list[str]:
        name = await layer.new_channel()
        for group in groups:
            await layer.group_add(group, name)
        return [name]

    return layer, asyncio.run_coroutine_threadsafe(add(), loop).result(5)


def received(loop: asyncio.AbstractEventLoop, layer: Any, channel: str) -> list[dict[str, Any]]:
    async def take() -> list[dict[str, Any]]:
        out = []
        while True:
            try:
                out.append(await asyncio.wait_for(layer.receive(channel), 0.5))
            except TimeoutError:
                return out

    return asyncio.run_coroutine_threadsafe(take(), loop).result(10)


@pytest.fixture
def serving(server_loop: asyncio.AbstractEventLoop) -> Iterator[Any]:
    """Tila's fanout, handing its updates to the server loop (call it when the test is set)."""
    yield lambda: fanout.serve_from(server_loop)
    fanout.loop = None


def in_a_plain_thread(change: Any) -> None:
    """Run ``change`` where a request or a socket's database work runs: a thread without an
    event loop (the browser tests keep one in the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(change).result()


def test_announcements_waiting_together_are_drawn_once(world, server_loop, serving):
    run = run_in(world.meeting, world.owner, k=1, show_live=True)
    people = [join(run) for _ in range(3)]
    serving()
    layer, (channel,) = listen(server_loop, screens.screen_group(run), screens.people_group(run))
    # The loop is busy for a moment (as when thirty phones answer at once) ...
    server_loop.call_soon_threadsafe(time.sleep, 0.5)

    def answers_and_a_change_of_state() -> None:
        for each, value in zip(people, (2, 5, 8), strict=True):
            submit_answer(participant=each, data={"now": str(value)})
        change_state(run=run, state="thinking", actor=world.owner)

    in_a_plain_thread(answers_and_a_change_of_state)
    assert list(fanout.pending) == [run.pk]

    messages = received(server_loop, layer, channel)

    # ... and the three answers and the change of state reach everyone as one update that
    # has them all; the phones redraw their whole panel (the state changed).
    assert sorted(message["type"] for message in messages) == ["live.html", "live.refresh"]
    (screen,) = (message["html"] for message in messages if message["type"] == "live.html")
    assert "<strong>3</strong> vastannut" in screen and "live-thinking" in screen
    assert not fanout.pending


def test_an_announcement_after_the_drawing_began_gets_a_drawing_of_its_own(
    world, server_loop, serving
):
    run = run_in(world.meeting, world.owner, k=1, show_live=True)
    first, second = join(run), join(run)
    serving()
    layer, (channel,) = listen(server_loop, screens.screen_group(run))
    in_a_plain_thread(lambda: submit_answer(participant=first, data={"now": "4"}))
    assert received(server_loop, layer, channel)  # drawn and sent
    assert not fanout.pending

    server_loop.call_soon_threadsafe(time.sleep, 0.3)
    in_a_plain_thread(lambda: submit_answer(participant=second, data={"now": "6"}))
    assert list(fanout.pending) == [run.pk]  # waits for the loop, to be drawn there

    (later,) = received(server_loop, layer, channel)
    assert "<strong>2</strong> vastannut" in later["html"]


def test_without_a_running_loop_updates_are_sent_at_once(world):
    run = run_in(world.meeting, world.owner, k=3)
    layer = get_channel_layer()

    async def scenario() -> None:
        name = await layer.new_channel()
        await layer.group_add(screens.screen_group(run), name)
        # As in a management command or a WSGI page: no live socket's loop to hand over to.
        assert fanout.loop is None or not fanout.loop.is_running()
        await database_sync_to_async(change_state)(run=run, state="paused", actor=world.owner)
        message = await asyncio.wait_for(layer.receive(name), 2)
        assert "Tauolla" in message["html"]

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, scenario()).result()

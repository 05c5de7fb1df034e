"""The single-process channel layer keeps Channels' in-memory behaviour (groups, capacity,
expiry) while doing less work per message."""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from channels.exceptions import ChannelFull

from tila.live import layers
from tila.live.layers import LiveInMemoryChannelLayer


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, test()).result()


def test_a_group_message_reaches_every_member_once_and_no_one_else() -> None:
    async def scenario() -> None:
        layer = LiveInMemoryChannelLayer(capacity=10)
        members = [await layer.new_channel() for _ in range(3)]
        outsider = await layer.new_channel()
        for name in members:
            await layer.group_add("live.run.people", name)
        await layer.group_add("live.run.screen", outsider)

        message = {"type": "live.html", "html": "<p>1</p>"}
        await layer.group_send("live.run.people", message)
        message["html"] = "changed afterwards"

        for name in members:
            got = await asyncio.wait_for(layer.receive(name), 1)
            assert got == {"type": "live.html", "html": "<p>1</p>"}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(members[0]), 0.05)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(outsider), 0.05)

    run_async(scenario)


def test_a_full_member_misses_the_message_and_the_others_get_it() -> None:
    async def scenario() -> None:
        layer = LiveInMemoryChannelLayer(capacity=2)
        slow, quick = await layer.new_channel(), await layer.new_channel()
        for name in (slow, quick):
            await layer.group_add("group", name)
        await layer.send(slow, {"type": "one"})
        await layer.send(slow, {"type": "two"})
        with pytest.raises(ChannelFull):
            await layer.send(slow, {"type": "three"})

        await layer.group_send("group", {"type": "to.all"})

        assert (await layer.receive(quick))["type"] == "to.all"
        assert [(await layer.receive(slow))["type"] for _ in range(2)] == ["one", "two"]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(slow), 0.05)

    run_async(scenario)


def test_expired_messages_are_dropped_and_their_channel_leaves_its_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        layer = LiveInMemoryChannelLayer(expiry=0)
        gone, alive = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("group", gone)
        await layer.send(gone, {"type": "stale"})
        await asyncio.sleep(0.01)

        # The walk for expired messages waits its turn ...
        layer._cleaned_at = 10**12
        layer._clean_expired()
        assert gone in layer.groups["group"]
        # ... and when it runs, the stale message and the dead member go.
        monkeypatch.setattr(layers, "CLEAN_EVERY", 0.0)
        layer._cleaned_at = 0.0
        await layer.group_add("group", alive)
        await layer.group_send("group", {"type": "fresh"})
        assert gone not in layer.groups["group"]
        assert gone not in layer.channels
        assert alive in layer.groups["group"]

    run_async(scenario)

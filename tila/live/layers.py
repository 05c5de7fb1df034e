"""The in-memory channel layer of the single-process default, tuned for live exercises.

Channels' ``InMemoryChannelLayer`` walks every queue and every group member looking for
expired messages on each ``receive`` and each ``group_send``, and sends to a group through a
task per member. With 300 phones in ten runs that walk was a tenth of the server's time
(bench/README.md). Here the walk runs at most once a second, and a group message goes straight
into each member's queue; what is kept is the rest of the layer's behaviour: expiry, capacity
(a full queue drops a group message for that member only) and group membership."""

import asyncio
import time
from copy import deepcopy
from typing import Any

from channels.layers import InMemoryChannelLayer

CLEAN_EVERY = 1.0  # seconds


class LiveInMemoryChannelLayer(InMemoryChannelLayer):
    _cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_EVERY:
            return
        self._cleaned_at = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"  # noqa: S101 (as Channels)
        self.require_valid_group_name(group)
        self._clean_expired()
        expires = time.time() + self.expiry
        # One copy for all members (consumers only read their messages), so that the sender's
        # later changes to its dict reach no one, as with send().
        entry = (expires, deepcopy(message))
        for channel in list(self.groups.get(group, {})):
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
            try:
                queue.put_nowait(entry)
            except asyncio.QueueFull:
                continue  # a full member misses this message; the others get it (as upstream)

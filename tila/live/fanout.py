"""Sending a run's updates to its screens and phones.

A change to a run is announced after its transaction commits. In a server process whose live
sockets run on an event loop, the update is rendered there once per moment: announcements
that arrive while one for the same run waits its turn in the database thread join it, so when
thirty phones answer in the same second the shared part is drawn a few times, not thirty
(bench/README.md, ``rush``). Updates leave each process in the order they were drawn.
Elsewhere (a WSGI process, a management command, a test without a server) the update is drawn
and sent at once, as before."""

import asyncio
import contextvars
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation

from tila.live import screens
from tila.live.models import Method, Run

logger = logging.getLogger(__name__)

# Kinds of change: "changed" (counts or result may differ: everyone gets the shared parts),
# "state" (the run's state or prompt changed: every participant's own panel is redrawn too),
# "received" (strengths: also each participant's own received strengths and colleagues).
CHANGED = "changed"
STATE = "state"
RECEIVED = "received"

Messages = list[tuple[str, dict[str, Any]]]


def messages_for(run_id: int, kinds: set[str]) -> Messages:
    """The messages that tell everyone about ``kinds`` of change, drawn from the database.

    The shared drawings are made once, in Tila's default language, whoever caused the change;
    a screen or phone that has chosen another language draws its own copy when one arrives."""
    run = Run.objects.filter(pk=run_id).first()
    if run is None:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        return _messages_for(run, kinds)


def _messages_for(run: Run, kinds: set[str]) -> Messages:
    language = settings.LANGUAGE_CODE
    # After a change of state every phone redraws its whole panel; a board shows each
    # participant their own dots and a round their own turn, so every phone draws its own.
    # Otherwise the phones' shared part is drawn here once for all of them.
    own_drawing = STATE in kinds or run.method in (Method.BOARD, Method.TURNS)
    screen_html, people_html = screens.render_updates(run, people=not own_drawing)
    people: dict[str, Any]
    if STATE in kinds:
        people = {"type": "live.refresh"}
    elif own_drawing:
        people = {"type": "live.own"}
    else:
        people = {"type": "live.html", "html": people_html, "language": language}
    messages: Messages = [
        (
            screens.screen_group(run),
            {"type": "live.html", "html": screen_html, "language": language},
        ),
        (screens.people_group(run), people),
    ]
    if RECEIVED in kinds:
        messages.append((screens.people_group(run), {"type": "live.received"}))
    return messages


def send_now(messages: Messages) -> None:
    """Send from synchronous code that has no server loop to hand the work to."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    if not _runs_a_loop():
        async_to_sync(send_all)()
        return
    # Synchronous code in a thread that runs an event loop (a test harness, never a server
    # worker): async_to_sync refuses that thread, so send from a short-lived one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, send_all()).result()


class Fanout:
    """The live sockets' event loop of this process and the updates waiting to be drawn."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.lock = threading.Lock()
        self.pending: dict[int, set[str]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.order: asyncio.Lock | None = None

    def serve_from(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called by every live socket as it connects: its loop draws and sends updates."""
        if self.loop is not loop:
            with self.lock:
                self.loop, self.order, self.pending = loop, None, {}

    def announce(self, run_id: int, kind: str) -> None:
        loop = self.loop
        if loop is None or loop.is_closed() or not loop.is_running() or _runs_a_loop():
            send_now(messages_for(run_id, {kind}))
            return
        with self.lock:
            waiting = self.pending.get(run_id)
            if waiting is not None:
                waiting.add(kind)  # it joins the update that has not been drawn yet
                return
            self.pending[run_id] = {kind}
        # In a context of its own: not the announcing socket's, whose database thread it
        # waits for (asgiref refuses that as a deadlock).
        loop.call_soon_threadsafe(self.start, run_id, context=contextvars.Context())

    def start(self, run_id: int) -> None:
        task = asyncio.get_running_loop().create_task(
            self.flush(run_id), context=contextvars.Context()
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def claim(self, run_id: int) -> Messages:
        """Draw the update (in the database thread). From here on, a new announcement for
        this run waits for the next drawing: nothing saved after this reading is missed."""
        with self.lock:
            kinds = self.pending.pop(run_id, set())
        if not kinds:
            return []
        return messages_for(run_id, kinds)

    async def flush(self, run_id: int) -> None:
        try:
            messages = await database_sync_to_async(self.claim)(run_id)
            if self.order is None:
                self.order = asyncio.Lock()
            # Drawings finish in order in the one database thread and their tasks resume in
            # that order; the lock keeps a slow send from being overtaken by a newer one.
            async with self.order:
                layer = get_channel_layer()
                if layer is not None:
                    for group, message in messages:
                        await layer.group_send(group, message)
        except Exception:
            logger.exception("a live update could not be sent")


def _runs_a_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


fanout = Fanout()

"""WebSocket consumers of live exercises.

Consumers keep no state of the exercise: every message is checked against the database, and
what they send is HTML rendered from it (the htmx WebSocket extension swaps it in by id). Each
connection has its own guard: a frame over ``MAX_FRAME`` bytes closes the socket, and a client
that sends faster than its token bucket allows has its frames dropped and, if it keeps on, is
disconnected. Nothing a client sends can raise out of ``receive``."""

import asyncio
import json
import logging
import time
from typing import Any
from uuid import UUID

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tila.live import screens
from tila.live.access import participant_from_headers, run_for_supervisor
from tila.live.actions import act_on_board, submit_answer
from tila.live.fanout import fanout
from tila.live.methods import AnswerError
from tila.live.models import Method, Participant, Run, State

logger = logging.getLogger(__name__)

MAX_FRAME = 4096
# Close codes: 1008 policy violation (flooding), 1009 message too big, 4403 not allowed.
CLOSE_FLOOD = 1008
CLOSE_TOO_BIG = 1009
CLOSE_NOT_ALLOWED = 4403


class TokenBucket:
    """``rate`` messages a second on average, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.last = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def _limits() -> tuple[float, int, int]:
    rate, burst, strikes = getattr(settings, "TILA_LIVE_RATE_LIMIT", (5.0, 20, 50))
    return float(rate), int(burst), int(strikes)


class GuardedConsumer(AsyncWebsocketConsumer):
    """Size and rate limits for every frame, before anything else looks at it."""

    strikes = 0
    language = settings.LANGUAGE_CODE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rate, burst, self.max_strikes = _limits()
        self.bucket = TokenBucket(rate, burst)

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        # Updates of this process are drawn and sent on the loop its live sockets run on.
        fanout.serve_from(asyncio.get_running_loop())
        await super().websocket_connect(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is not None or text_data is None:
            await self.close(code=CLOSE_TOO_BIG)  # we take only text frames
            return
        if len(text_data) > MAX_FRAME or len(text_data.encode()) > MAX_FRAME:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if not self.bucket.take():
            self.strikes += 1
            if self.strikes >= self.max_strikes:
                await self.close(code=CLOSE_FLOOD)
            return
        try:
            data = json.loads(text_data)
        except ValueError:
            return
        if isinstance(data, dict):
            await self.handle(data)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own dispatch, without the hop to the database thread that it makes before
        every message to close old connections. Every database call here goes through
        ``database_sync_to_async``, which closes them around itself, and most messages are
        rendered HTML passed on to the socket that touch no database at all: with 300 phones
        those hops queued behind the answers in the one database thread (bench/README.md)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def handle(self, data: dict[str, Any]) -> None:
        """A well-formed JSON object from the client; the default is to ignore it."""

    async def live_html(self, event: dict[str, Any]) -> None:
        """A shared drawing: passed on as it is when it is in this socket's language, or
        drawn again for this socket when its reader has chosen another."""
        html = event["html"]
        if event.get("language", self.language) != self.language:
            html = await self.in_own_language()
        if html is not None:
            await self.send(text_data=html)

    async def in_own_language(self) -> str | None:
        """This socket's copy of the shared drawing, in its own language."""
        return None

    async def live_refresh(self, event: dict[str, Any]) -> None:
        """Screens get the whole update in ``live.html``; participants override this."""

    async def live_received(self, event: dict[str, Any]) -> None:
        """Only participants have strengths of their own."""

    async def live_own(self, event: dict[str, Any]) -> None:
        """Only participants have dots or turns of their own."""


def _run_uuid(scope: dict[str, Any]) -> UUID:
    value = scope["url_route"]["kwargs"]["run_uuid"]
    return value if isinstance(value, UUID) else UUID(str(value))


class ScreenConsumer(GuardedConsumer):
    """The presenter view and the supervisor's control page: updates only, no input."""

    async def connect(self) -> None:
        self.language = _language(self.scope)
        run = await database_sync_to_async(run_for_supervisor)(
            self.scope.get("user"), _run_uuid(self.scope)
        )
        if run is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.run_id = run.pk
        self.group = screens.screen_group(run)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # What changed between the page's rendering and this connection (or while a dropped
        # connection was away) is sent now, so the screen never waits for the next change.
        html = await database_sync_to_async(self.update)(run.pk)
        if html is not None:
            await self.send(text_data=html)

    def update(self, run_id: int) -> str | None:
        run = Run.objects.filter(pk=run_id).first()
        if run is None:
            return None
        with translation.override(self.language):
            return screens.render_screen_update(run)

    async def in_own_language(self) -> str | None:
        return await database_sync_to_async(self.update)(self.run_id)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)


def _language(scope: dict[str, Any]) -> str:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _sep, chosen = part.strip().partition("=")
                if key == settings.LANGUAGE_COOKIE_NAME and chosen in dict(settings.LANGUAGES):
                    return chosen
    return settings.LANGUAGE_CODE


class ParticipantConsumer(GuardedConsumer):
    """One participant's phone: its own panel, the shared status, and its answers."""

    async def connect(self) -> None:
        self.language = _language(self.scope)
        found = await database_sync_to_async(self.find)()
        if found is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        participant, run = found
        self.run_id, self.participant_id = run.pk, participant.pk
        self.group = screens.people_group(run)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.live_refresh({})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def find(self) -> tuple[Participant, Run] | None:
        run = Run.objects.filter(uuid=_run_uuid(self.scope)).exclude(state=State.ENDED).first()
        if run is None:
            return None
        participant = participant_from_headers(run, self.scope.get("headers", []))
        return (participant, run) if participant is not None else None

    def participant(self) -> Participant | None:
        return (
            Participant.objects.filter(pk=self.participant_id, run_id=self.run_id)
            .select_related("run")
            .first()
        )

    def answer(self, data: dict[str, Any]) -> str | None:
        participant = self.participant()
        if participant is None:
            return None
        with translation.override(self.language):
            on_board = participant.run.method == Method.BOARD
            try:
                if on_board:
                    if not act_on_board(participant=participant, data=data):
                        return render_to_string(f"{screens.TEMPLATE}#participant-error-clear")
                else:
                    submit_answer(participant=participant, data=data)
            except AnswerError:
                return render_to_string(
                    f"{screens.TEMPLATE}#participant-error", {"oob": True, "board": on_board}
                )
            return screens.render_participant_saved(participant)

    def panel(self) -> tuple[str, bool]:
        """The participant's whole panel, and whether the run has ended."""
        participant = self.participant()
        with translation.override(self.language):
            if participant is None or participant.run.is_ended:
                html = render_to_string(f"{screens.TEMPLATE}#participant-ended", {"oob": True})
                return html, True
            return screens.render_participant_panel(participant), False

    async def handle(self, data: dict[str, Any]) -> None:
        html = await database_sync_to_async(self.answer)(data)
        if html is not None:
            await self.send(text_data=html)

    def received(self) -> str | None:
        participant = self.participant()
        if participant is None or participant.run.is_ended:
            return None
        with translation.override(self.language):
            return screens.render_received(participant)

    async def live_received(self, event: dict[str, Any]) -> None:
        """Strengths: this participant's own received strengths and colleagues, redrawn."""
        html = await database_sync_to_async(self.received)()
        if html is not None:
            await self.send(text_data=html)

    def own_shared(self) -> str | None:
        participant = self.participant()
        if participant is None or participant.run.is_ended:
            return None
        with translation.override(self.language):
            return screens.render_own_shared(participant)

    async def in_own_language(self) -> str | None:
        return await database_sync_to_async(self.own_shared)()

    async def live_own(self, event: dict[str, Any]) -> None:
        """A board or a round changed: this participant's view of it redrawn, with their own
        dots or turn."""
        html = await database_sync_to_async(self.own_shared)()
        if html is not None:
            await self.send(text_data=html)

    async def live_refresh(self, event: dict[str, Any]) -> None:
        html, ended = await database_sync_to_async(self.panel)()
        await self.send(text_data=html)
        if ended:
            await self.close(code=1000)

"""Shared helpers for the tests of live exercises."""

from typing import Any

from tila.live.access import cookie_name, participant_token
from tila.live.actions import join_run, start_run
from tila.live.models import Participant, Run

ORIGIN = (b"origin", b"http://127.0.0.1")


def run_in(meeting: Any, actor: Any, **options: Any) -> Run:
    options.setdefault("method", "scale")
    options.setdefault("prompt", "Missä tiimi on nyt?")
    if options["method"] == "cards":
        options.setdefault("deck", "pictures")
    return start_run(meeting=meeting, actor=actor, **options)


def cookie_header(participant: Participant) -> tuple[bytes, bytes]:
    name = cookie_name(participant.run)
    return (b"cookie", f"{name}={participant_token(participant)}".encode())


def join(run: Run, name: str = "") -> Participant:
    return join_run(run=run, user=None, name=name)

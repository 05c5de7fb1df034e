"""Rounds over WebSocket: the speaking order, the turn and its time, and a reflecting team's
phases reach the presenter and every phone."""

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from tests.live_helpers import join, run_in
from tests.test_live_consumers import drain, phone, run_async, screen
from tila.live.actions import steer_turns
from tila.live.models import Run
from tila.live.turns import clock, speaking_order, view

pytestmark = pytest.mark.django_db(transaction=True)


def round_run(world: Any, **options: Any) -> Run:
    return run_in(world.meeting, world.owner, method="turns", anonymous=False, **options)


def order(run: Run) -> list[str]:
    return [person.name for person in speaking_order(run)]


async def database(function: Any) -> Any:
    from channels.db import database_sync_to_async

    return await database_sync_to_async(function)()


def test_turns_and_phases_reach_the_screen_and_the_phones(world):
    run = round_run(world, reflecting=True, turn_seconds=90)
    aino, eero = join(run, "Aino"), join(run, "Eero")
    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        a, e = phone(run, aino), phone(run, eero)
        assert (await a.connect())[0] and (await e.connect())[0]
        assert (await supervisor.connect())[0]
        first = "".join(await drain(a))
        assert "Kierros alkaa, kun ohjaaja antaa ensimmäisen puheenvuoron" in first
        assert "aikaa 1:30" in first and 'aria-current="step">Tapaus<' in first
        await database(lambda: steer_turns(run=run, action="next", actor=world.owner))
        shown = "".join(await drain(supervisor))
        assert re.search(r'class="turn-speaker">Aino<', shown)
        assert 'data-remaining="90"' in shown or 'data-remaining="89"' in shown
        on_phone = "".join(await drain(e))
        assert "Puheenvuorossa nyt" in on_phone and 'class="turn-speaker">Aino<' in on_phone
        assert (
            "Sinun vuorosi" not in on_phone
            and 'Eero</span> <span class="turn-me">(sinä)' in on_phone
        )
        assert "Sinun vuorosi" in "".join(await drain(a))
        # The steering tools are the supervisor's: a phone never gets them.
        assert "Seuraava puhuja" in shown and "Seuraava puhuja" not in on_phone
        await database(
            lambda: steer_turns(run=run, action="phase", phase="reflect", actor=world.owner)
        )
        reflecting = "".join(await drain(a))
        await drain(e)
        assert 'aria-current="step">Tiimi reflektoi<' in reflecting
        assert "kuuntelee vastaamatta" in reflecting
        await database(lambda: steer_turns(run=run, action="next", actor=world.owner))
        assert 'class="turn-speaker">Eero<' in "".join(await drain(a))
        await database(lambda: steer_turns(run=run, action="next", actor=world.owner))
        assert "Kaikki ovat saaneet puheenvuoronsa" in "".join(await drain(supervisor))
        for each in (a, e, supervisor):
            await each.disconnect()

    run_async(scenario)


def test_the_time_left_counts_from_the_turns_start_and_goes_over():
    assert clock(125) == "2:05" and clock(0) == "0:00" and clock(-10) == "−0:10"


def test_the_time_left_is_worked_out_from_the_database(world):
    run = round_run(world, turn_seconds=60)
    join(run, "Aino")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        steer_turns(run=run, action="next", actor=world.owner)
    run.refresh_from_db()
    assert view(run, start + timedelta(seconds=20)).remaining == 40
    assert view(run, start + timedelta(seconds=75)).remaining_text == "−0:15"


def test_the_supervisor_sets_or_draws_the_order(world):
    run = round_run(world)
    for name in ("Aino", "Eero", "Iida", "Olli", "Ulla", "Yrjö"):
        join(run, name)
    assert order(run) == ["Aino", "Eero", "Iida", "Olli", "Ulla", "Yrjö"]
    client = HttpClient()
    client.force_login(world.owner)
    url = reverse("steer_live_turns", args=[run.uuid])
    olli = speaking_order(run)[3]
    client.post(url, {"action": "up", "participant": olli.uuid})
    assert order(run) == ["Aino", "Eero", "Olli", "Iida", "Ulla", "Yrjö"]
    response = client.post(url, {"action": "down", "participant": olli.uuid}, HTTP_HX_REQUEST="1")
    assert response.status_code == 204
    assert order(run) == ["Aino", "Eero", "Iida", "Olli", "Ulla", "Yrjö"]
    drawn = set()
    for _ in range(5):
        client.post(url, {"action": "shuffle"})
        drawn.add(tuple(order(run)))
    assert all(sorted(each) == sorted(order(run)) for each in drawn) and len(drawn) > 1
    # A newcomer speaks last, whatever was drawn.
    join(run, "Åsa")
    assert order(run)[-1] == "Åsa"
    # Nonsense steers change nothing and never fail.
    before = order(run)
    for data in (
        {"action": "fly"},
        {"action": "up", "participant": "not-a-uuid"},
        {"action": "phase", "phase": "reflect"},  # not a reflecting team
        {"action": "down"},
    ):
        assert client.post(url, data).status_code == 302
    assert order(run) == before
    run.refresh_from_db()
    assert run.phase == ""
    # Ending the round deletes the order and its speaker with the participants.
    client.post(url, {"action": "next"})
    client.post(reverse("end_live_run", args=[run.uuid]), {"save": "discard"})
    run.refresh_from_db()
    assert run.is_ended and run.speaker is None and not run.participants.exists()


def test_a_rounds_join_asks_for_a_name_and_shows_names(world):
    client = HttpClient()
    client.force_login(world.owner)
    client.post(
        reverse("meeting_live", args=[world.meeting.uuid]),
        {"method": "turns", "anonymous": "on", "k": "3", "turn_seconds": "180", "reflecting": "on"},
    )
    run = Run.objects.get()
    assert (run.anonymous, run.turn_seconds, run.reflecting, run.phase) == (
        False,
        180,
        True,
        "case",
    )
    page = HttpClient().get(reverse("live_participant", args=[run.join_code])).content.decode()
    assert "Etunimesi" in page

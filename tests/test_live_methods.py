"""Line-up and strengths over WebSocket: what each participant sends, and what each sees."""

import json

import pytest

from tests.live_helpers import join, run_in
from tests.test_live_consumers import drain, phone, run_async, screen
from tila.live.actions import change_state
from tila.live.models import Answer

pytestmark = pytest.mark.django_db(transaction=True)


def test_line_up_positions_show_on_the_line_at_k(world):
    run = run_in(
        world.meeting, world.owner, method="lineup", k=2, left_label="Yksin", right_label="Yhdessä"
    )
    first, second = join(run), join(run)
    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        a, b = phone(run, first), phone(run, second)
        assert (await a.connect())[0] and (await b.connect())[0]
        assert (await supervisor.connect())[0]
        await drain(a)
        await drain(b)
        await a.send_to(text_data=json.dumps({"position": "150"}))  # off the line
        assert "live-error" in await a.receive_from(timeout=10)
        await a.send_to(text_data=json.dumps({"position": "20"}))
        await b.send_to(text_data=json.dumps({"position": "80"}))
        await drain(a)
        await drain(supervisor)

    run_async(scenario)
    assert sorted(answer.value["position"] for answer in Answer.objects.all()) == [20, 80]
    change_state(run=run, state="revealed", actor=world.owner)

    async def revealed() -> None:
        a = phone(run, first)
        assert (await a.connect())[0]
        seen = "".join(await drain(a))
        assert seen.count('class="dot"') == 2
        assert "Yksin" in seen and "Yhdessä" in seen
        await a.disconnect()

    run_async(revealed)


def test_strengths_reach_only_their_receiver_and_the_screen_shows_counts(world):
    run = run_in(world.meeting, world.owner, method="strengths", anonymous=False, k=2)
    anna, ben, cai = join(run, "Anna"), join(run, "Ben"), join(run, "Cai")

    async def give() -> None:
        a, b = phone(run, anna), phone(run, ben)
        assert (await a.connect())[0] and (await b.connect())[0]
        await drain(a)
        await drain(b)
        # A gift to someone of another run, or an unknown word, is refused.
        await a.send_to(text_data=json.dumps({"to": "0" * 32, "word": ["courage"]}))
        assert "live-error" in "".join(await drain(a))
        await a.send_to(text_data=json.dumps({"to": cai.uuid.hex, "word": ["courage", "humour"]}))
        await b.send_to(text_data=json.dumps({"to": cai.uuid.hex, "word": ["courage"]}))
        await b.send_to(text_data=json.dumps({"to": ben.uuid.hex, "word": ["patience"]}))
        await drain(a)
        await drain(b)

    run_async(give)
    change_state(run=run, state="revealed", actor=world.owner)
    supervisor = screen(run, world.owner)

    async def look() -> None:
        c, b = phone(run, cai), phone(run, ben)
        assert (await c.connect())[0] and (await b.connect())[0]
        own_c = "".join(await drain(c))
        own_b = "".join(await drain(b))
        received_c = own_c.split('class="received">')[1].split("</ul>")[0]
        assert "rohkeus" in received_c and "×2" in received_c and "huumori" in received_c
        assert "kärsivällisyys" not in received_c
        received_b = own_b.split('class="received">')[1].split("</ul>")[0]
        assert "kärsivällisyys" in received_b and "rohkeus" not in received_b
        assert (await supervisor.connect())[0]
        await c.send_to(text_data=json.dumps({"to": anna.uuid.hex, "word": ["kindness"]}))
        shown = "".join(await drain(supervisor))
        assert "Anna" not in shown and "Ben" not in shown and "Cai" not in shown
        await c.disconnect()
        await b.disconnect()
        await supervisor.disconnect()

    run_async(look)
    given = {answer.participant.name: answer.value for answer in Answer.objects.all()}
    assert given["Anna"] == {"given": {cai.uuid.hex: ["courage", "humour"]}}

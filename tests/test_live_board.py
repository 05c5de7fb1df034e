"""Boards over WebSocket: private notes, posting, the k threshold, the supervisor's moves and
groups, dot-voting, and the saved snapshot."""

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from tests.live_helpers import join, run_in
from tests.test_live_consumers import drain, phone, run_async, screen
from tila.keys.actions import rotate_data_key
from tila.keys.registry import sealed_fields
from tila.keys.sealing import token_key_id
from tila.lib.crypto import DecryptionError
from tila.live import board
from tila.live.actions import act_on_board, change_state, end_run
from tila.live.consumers import CLOSE_NOT_ALLOWED
from tila.live.models import BoardDot, BoardNote, Run, Snapshot
from tila.live.screens import current_round

pytestmark = pytest.mark.django_db(transaction=True)


def board_run(world: Any, **options: Any) -> Run:
    options.setdefault("layout", "free")
    return run_in(world.meeting, world.owner, method="board", prompt="Mikä mietityttää?", **options)


def write(text: str, area: int | str = 0) -> str:
    return json.dumps({"action": "write", "text": text, "area": area})


def act(action: str, note: BoardNote | None = None) -> str:
    return json.dumps({"action": action, **({"note": note.uuid.hex} if note else {})})


def supervisor_client(world: Any) -> HttpClient:
    client = HttpClient()
    client.force_login(world.owner)
    return client


def test_notes_are_private_until_posted_and_shown_only_at_k(world):
    run = board_run(world, k=2)
    anna, ben = join(run, "Pirjo"), join(run, "Tuomas")
    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        a, b = phone(run, anna), phone(run, ben)
        assert (await a.connect())[0] and (await b.connect())[0]
        assert (await supervisor.connect())[0]
        await drain(a)
        await drain(b)
        await a.send_to(text_data=write("Kiire syö kohtaamiset"))
        own = "".join(await drain(a))
        assert "Kiire syö kohtaamiset" in own and "Vain sinä näet tämän" in own
        # A draft reaches nobody else: not the other phone, not the screens.
        assert "Kiire" not in "".join(await drain(b)) + "".join(await drain(supervisor))
        await a.send_to(text_data=act("post-all"))
        posted = "".join(await drain(a))
        assert "Julkaistu" in posted
        seen = "".join(await drain(supervisor)) + "".join(await drain(b))
        assert "<strong>1</strong> vastannut" in seen and "Kiire" not in seen
        assert "kun vähintään 2 on julkaissut lappunsa" in seen
        await b.send_to(text_data=write("Hyvä yhteishenki"))
        await drain(b)
        note = await database(lambda: BoardNote.objects.get(participant=ben))
        await b.send_to(text_data=act("post", note))
        await drain(b)
        seen = "".join(await drain(supervisor))
        assert "<strong>2</strong> vastannut" in seen and "Hyvä yhteishenki" not in seen
        await database(lambda: change_state(run=run, state="revealed", actor=world.owner))
        shown = "".join(await drain(supervisor))
        assert "Kiire syö kohtaamiset" in shown and "Hyvä yhteishenki" in shown
        # Anonymous by default: the board never names the writers.
        assert "Pirjo" not in shown and "Tuomas" not in shown
        phone_view = "".join(await drain(b))
        assert "Kiire syö kohtaamiset" in phone_view and "Pirjo" not in phone_view
        for each in (a, b, supervisor):
            await each.disconnect()

    run_async(scenario)


async def database(function: Any) -> Any:
    from channels.db import database_sync_to_async

    return await database_sync_to_async(function)()


def posted(run: Run, participant: Any, text: str, area: int = 0) -> BoardNote:
    act_on_board(participant=participant, data={"action": "write", "text": text, "area": area})
    note = BoardNote.objects.filter(participant=participant).order_by("-id")[0]
    assert board.note_text(run, note) == text
    act_on_board(participant=participant, data={"action": "post", "note": note.uuid.hex})
    note.refresh_from_db()
    return note


def test_dot_voting_gives_each_a_few_dots_and_shows_the_counts(world):
    run = board_run(world, k=2, dots=2)
    anna, ben = join(run), join(run)
    notes = [posted(run, anna, "Yksi"), posted(run, ben, "Kaksi"), posted(run, ben, "Kolme")]
    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        a = phone(run, anna)
        assert (await a.connect())[0] and (await supervisor.connect())[0]
        await drain(a)
        # Before the reveal nobody votes.
        await a.send_to(text_data=act("dot", notes[0]))
        assert "live-error" in "".join(await drain(a))
        await database(lambda: change_state(run=run, state="revealed", actor=world.owner))
        view = "".join(await drain(a))
        assert "Sinulla on 2 pistettä annettavana" in view and view.count("Anna piste") == 3
        await a.send_to(text_data=act("dot", notes[1]))
        await a.send_to(text_data=act("dot", notes[2]))
        await drain(a)
        await a.send_to(text_data=act("dot", notes[0]))  # a third dot: none left
        view = "".join(await drain(a))
        assert "Tätä ei voitu tehdä nyt" in view
        await a.send_to(text_data=act("dot", notes[2]))  # taken back
        view = "".join(await drain(a))
        assert "Sinulla on 1 piste annettavana" in view and view.count("Oma pisteeni") == 1
        shown = "".join(await drain(supervisor))
        assert "1 piste" in shown
        await a.disconnect()
        await supervisor.disconnect()

    run_async(scenario)
    assert [board.note_text(run, dot.note) for dot in BoardDot.objects.all()] == ["Kaksi"]


def test_the_supervisor_moves_and_groups_notes_and_every_screen_follows(world):
    run = board_run(world, k=1, layout="four", area_labels="Toimii\nEi toimi\n\nLuovumme")
    anna = join(run)
    first = posted(run, anna, "Palaverit", area=0)
    second = posted(run, anna, "Sijaiset", area=1)
    change_state(run=run, state="revealed", actor=world.owner)
    client = supervisor_client(world)
    url = reverse("move_board_note", args=[run.uuid])
    watcher = screen(run, world.owner)

    async def scenario() -> None:
        a = phone(run, anna)
        assert (await a.connect())[0] and (await watcher.connect())[0]
        page = "".join(await drain(a))
        # The labels the supervisor wrote, the default for the one left empty.
        assert "Toimii" in page and "Luovumme" in page and "Mitä haluamme lisää" in page
        reply = await database(
            lambda: client.post(
                url, {"note": second.uuid, "move": "area", "area": "3"}, HTTP_HX_REQUEST="true"
            )
        )
        assert reply.status_code == 204
        moved = "".join(await drain(watcher))
        assert moved.index("Luovumme") < moved.index("Sijaiset")
        assert "Sijaiset" in "".join(await drain(a))
        await a.disconnect()
        await watcher.disconnect()

    run_async(scenario)
    second.refresh_from_db()
    assert second.area == 3
    client.post(url, {"note": first.uuid, "move": "group", "group": "0"})
    client.post(url, {"note": second.uuid, "move": "group", "group": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.group == second.group == 1 and second.area == first.area == 0
    client.post(url, {"note": second.uuid, "move": "earlier"})
    assert [board.note_text(run, note) for note in BoardNote.objects.order_by("position")] == [
        "Sijaiset",
        "Palaverit",
    ]
    client.post(url, {"note": second.uuid, "move": "ungroup"})
    second.refresh_from_db()
    assert second.group == 0
    # Nonsense moves change nothing and never fail.
    for data in (
        {"note": first.uuid, "move": "area", "area": "9"},
        {"note": first.uuid, "move": "group", "group": "7"},
        {"note": "not-a-uuid", "move": "area"},
        {"note": first.uuid, "move": "fly"},
    ):
        response = client.post(url, data)
        assert response.status_code == 302
    first.refresh_from_db()
    assert (first.area, first.group) == (0, 1)


def test_a_draft_and_a_note_of_another_participant_cannot_be_touched(world):
    run = board_run(world, k=1)
    anna, ben = join(run), join(run)
    act_on_board(participant=anna, data={"action": "write", "text": "Luonnos"})
    draft = BoardNote.objects.get()

    async def scenario() -> None:
        b = phone(run, ben)
        assert (await b.connect())[0]
        await drain(b)
        await b.send_to(text_data=act("post", draft))
        await b.send_to(text_data=act("delete", draft))
        replies = "".join(await drain(b))
        assert replies.count("Tätä ei voitu tehdä nyt") == 2 and "Luonnos" not in replies
        await b.disconnect()

    run_async(scenario)
    draft.refresh_from_db()
    assert draft.posted_at is None


def test_a_participant_takes_back_a_posted_note_and_the_board_follows(world):
    run = board_run(world, k=1, show_live=True)
    anna = join(run)
    note = posted(run, anna, "Turha huomio")
    supervisor = screen(run, world.owner)

    async def scenario() -> None:
        a = phone(run, anna)
        assert (await a.connect())[0] and (await supervisor.connect())[0]
        assert "Turha huomio" in "".join(await drain(a))
        # The screen gets the board as it is when it connects.
        assert "Turha huomio" in "".join(await drain(supervisor))
        await a.send_to(text_data=act("delete", note))
        assert "Turha huomio" not in "".join(await drain(a))
        shown = "".join(await drain(supervisor))
        assert "<strong>0</strong> vastannut" in shown and "Turha huomio" not in shown
        await a.disconnect()
        await supervisor.disconnect()

    run_async(scenario)
    assert not BoardNote.objects.exists()


def test_the_saved_snapshot_keeps_notes_and_dots_but_no_names_and_nothing_under_k(world):
    run = board_run(world, k=2, anonymous=False, layout="timeline")
    anna, ben = join(run, "Pirjo"), join(run, "Tuomas")
    high = posted(run, anna, "Uusi tiimi", area=0)
    posted(run, ben, "Organisaatiomuutos", area=1)
    change_state(run=run, state="revealed", actor=world.owner)
    client = supervisor_client(world)
    live = client.get(reverse("live_presenter", args=[run.uuid])).content.decode()
    assert "Pirjo" in live and "Tuomas" in live  # a named board shows its writers, live only
    act_on_board(participant=ben, data={"action": "dot", "note": high.uuid.hex})
    change_state(run=run, state="open", actor=world.owner)
    from tila.live.actions import next_prompt

    next_prompt(run=run, prompt="Entä nyt?", actor=world.owner)
    posted(run, anna, "Yksin kirjoitettu")
    end_run(run=run, actor=world.owner, save=True)
    assert not BoardNote.objects.exists()
    page = client.get(reverse("live_run", args=[run.uuid])).content.decode()
    assert "Uusi tiimi" in page and "Organisaatiomuutos" in page and "1 piste" in page
    assert "Yksin kirjoitettu" not in page and "Ei tallennettu" in page
    assert "Pirjo" not in page and "Tuomas" not in page
    assert "Siirrä tai ryhmittele" not in page  # an ended board is not moved
    snapshot = Snapshot.objects.get()
    assert "Uusi tiimi" not in snapshot.data  # sealed


def test_the_board_shows_on_the_presenter_without_the_move_tools_visible(world):
    run = board_run(world, k=1, layout="rings")
    posted(run, join(run), "Kollegan tuki", area=1)
    change_state(run=run, state="revealed", actor=world.owner)
    client = supervisor_client(world)
    presenter = client.get(reverse("live_presenter", args=[run.uuid])).content.decode()
    assert "Kollegan tuki" in presenter and "ring-team" in presenter
    control = client.get(reverse("live_run", args=[run.uuid])).content.decode()
    assert "Siirrä tai ryhmittele" in control


def test_a_board_participant_of_another_run_is_refused(world):
    run = board_run(world)
    stranger = join(board_run(world))

    async def scenario() -> None:
        connected, code = await phone(run, stranger).connect()
        assert not connected and code == CLOSE_NOT_ALLOWED

    run_async(scenario)


def test_starting_a_four_field_board_with_own_labels(world):
    client = supervisor_client(world)
    response = client.post(
        reverse("meeting_live", args=[world.meeting.uuid]),
        {
            "method": "board",
            "prompt": "",
            "layout": "four",
            "field_1": "Vahvuudet",
            "field_2": "Heikkoudet",
            "field_3": "",
            "field_4": "Uhat",
            "k": "3",
            "dots": "3",
        },
    )
    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.method, run.layout, run.dots) == ("board", "four", 3)
    assert run.area_labels == "Vahvuudet\nHeikkoudet\n\nUhat"
    bad = client.post(
        reverse("meeting_live", args=[world.meeting.uuid]),
        {"method": "board", "layout": "four", "k": "3", "dots": "99", "field_1": "x" * 61},
    )
    assert bad.status_code == 200 and Run.objects.count() == 1


def test_a_notes_words_are_sealed_at_rest_and_move_with_a_key_rotation(world):
    run = board_run(world, k=1)
    anna = join(run)
    note = posted(run, anna, "Esihenkilö ei kuuntele")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {BoardNote._meta.db_table}")  # noqa: S608
        [(stored,)] = cursor.fetchall()
    assert "kuuntele" not in stored and stored.startswith("v1.")
    assert "live.BoardNote.text" in {field.label for field in sealed_fields()}
    rotate_data_key(world.practice)
    note.refresh_from_db()
    assert token_key_id(note.text) != token_key_id(stored)
    shown = board.posted_notes(run, current_round(run))
    assert [each.text for each in shown] == ["Esihenkilö ei kuuntele"]
    # A token copied to another note does not open there.
    other = posted(run, anna, "Toinen")
    BoardNote.objects.filter(pk=other.pk).update(text=note.text)
    other.refresh_from_db()
    with pytest.raises(DecryptionError):
        board.note_text(run, other)


def test_notes_written_before_sealing_are_sealed_by_the_migration(world):
    run = board_run(world, k=1)
    anna = join(run)
    note = posted(run, anna, "Kirjoitettu ennen")
    BoardNote.objects.filter(pk=note.pk).update(text="Kirjoitettu ennen")
    migration = importlib.import_module("tila.live.migrations.0005_seal_board_notes")
    migration.seal_written_notes(apps, None)
    note.refresh_from_db()
    assert note.text.startswith("v1.") and board.note_text(run, note) == "Kirjoitettu ennen"
    migration.seal_written_notes(apps, None)  # sealed notes are left as they are
    assert BoardNote.objects.get(pk=note.pk).text == note.text

"""Live exercises in real browsers: the supervisor on a laptop, the shared screen, and four
participants on phones, all over real WebSockets.

pytest-django's live server speaks WSGI only, so this file serves Tila's ASGI application with
uvicorn, as `make run` does, in a thread of the test process against the test database."""

import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tila.live.models import Answer, Run, Snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[str]:
    from channels.layers import channel_layers
    from django.core.asgi import get_asgi_application

    from tila.asgi import build_application

    # Built here, after the tests' settings (static files from the finders) are in place.
    application = build_application(get_asgi_application())
    # A fresh in-memory channel layer: one left from earlier tests is bound to their loops.
    channel_layers.backends.clear()
    port = free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def new_page(browser: Any, base_url: str, *, phone: bool) -> Any:
    options: dict[str, Any] = {"base_url": base_url, "locale": "fi-FI"}
    if phone:
        options.update(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    else:
        options.update(viewport={"width": 1280, "height": 900})
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(10_000)
    return page


def start(page: Any, meeting: Any, method: str, prompt: str) -> Run:
    page.goto(f"/meetings/{meeting.uuid}/live/")
    page.get_by_label(re.compile("^(Skaalakysymys|Kortit)$")).first.wait_for()
    page.locator(f"input[name=method][value={method}]").check()
    page.get_by_label("Kysymys tai ohje").fill(prompt)
    page.get_by_role("button", name="Aloita").click()
    page.wait_for_url(re.compile(r".*/live/runs/[0-9a-f-]{36}/$"))
    return Run.objects.get(rounds__prompt=prompt)


def join(page: Any, code: str) -> None:
    page.goto("/live/")
    page.get_by_label("Koodi").fill(code.lower())
    page.get_by_role("button", name="Jatka").click()
    page.get_by_role("button", name="Liity").click()
    page.locator("#live-panel form.live-answer").wait_for()


def wait_for_answers(run: Run, count: int) -> None:
    for _ in range(100):
        if Answer.objects.filter(round__run=run).count() == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"expected {count} answers")


STATE_AFTER = {
    "Paljasta tulos": "revealed",
    "Takaisin vastaamaan": "open",
    "Oma pohdinta": "thinking",
    "Tauko": "paused",
}


def control(page: Any, label: str, *others: Any) -> None:
    """Press a control on the supervisor's page and wait until her page and ``others`` (the
    presenter, phones) show the run's new state: updates reach each screen on its own time."""
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    state = STATE_AFTER[label]
    for each in (page, *others):
        each.locator(f".badge.live-{state}").first.wait_for()


def test_a_scale_and_a_card_exercise_with_four_phones(browser, asgi_server, world):
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)

    # A scale, anonymous, k = 3, shown only at the reveal.
    run = start(supervisor, world.meeting, "scale", "Missä tiimi on nyt?")
    presenter = new_page(browser, asgi_server, phone=False)
    presenter.context.add_cookies(supervisor.context.cookies())
    presenter.goto(f"/live/runs/{run.uuid}/presenter/")
    assert presenter.locator(".qr svg path").count() == 1
    assert presenter.locator(".join-code").inner_text() == run.join_code

    phones = [new_page(browser, asgi_server, phone=True) for _ in range(4)]
    for each in phones:
        join(each, run.join_code)
    presenter.locator("#live-counts").get_by_text("4").wait_for()
    for each, value in zip(phones[:2], ("4", "6"), strict=True):
        each.locator(f"label.scale-choice:has(input[name=now][value='{value}'])").click()
        each.get_by_role("button", name="Lähetä").click()
        each.locator(".live-saved").wait_for()
    wait_for_answers(run, 2)
    control(supervisor, "Paljasta tulos", presenter, *phones)
    for page in (presenter, supervisor, *phones):
        page.locator("#live-result").get_by_text("vähintään 3").wait_for()
        assert page.locator("#live-result circle").count() == 0
    screenshot(presenter, "live-presenter-scale-below-k")
    screenshot(phones[0], "live-phone-scale-below-k")

    control(supervisor, "Takaisin vastaamaan", phones[2])
    phones[2].locator("#live-panel form.live-answer").wait_for()
    phones[2].locator("label.scale-choice:has(input[name=now][value='7'])").click()
    phones[2].get_by_role("button", name="Lähetä").click()
    wait_for_answers(run, 3)
    control(supervisor, "Paljasta tulos")
    presenter.locator("#live-result circle.dot").nth(2).wait_for()
    assert presenter.locator("#live-result circle.dot").count() == 3
    phones[3].locator("#live-result circle.dot").nth(2).wait_for()
    phones[3].wait_for_timeout(800)  # the result's fade-in (0.6 s) has ended
    screenshot(presenter, "live-presenter-scale")
    screenshot(phones[3], "live-phone-scale")
    supervisor.get_by_label("Älä tallenna: vastaukset poistetaan").check()
    supervisor.get_by_role("button", name="Lopeta", exact=True).click()
    supervisor.get_by_text("Tulosta ei tallennettu").wait_for()
    phones[0].get_by_text("Harjoitus on päättynyt").first.wait_for()
    assert not Answer.objects.exists() and not Snapshot.objects.exists()

    # Cards: private picks, revealed together without names, saved to the meeting.
    cards = start(supervisor, world.meeting, "cards", "Valitse kortti, joka kuvaa työtäsi")
    presenter.goto(f"/live/runs/{cards.uuid}/presenter/")
    for each in phones:
        join(each, cards.join_code)
    picks = ["bridge", "path", "bridge", "boat"]
    for each, key in zip(phones, picks, strict=True):
        each.locator(f"label.deck-card:has(input[value='{key}'])").click()
        each.get_by_role("button", name="Lähetä").click()
        each.locator(".live-saved").wait_for()
    screenshot(phones[0], "live-phone-cards-picked")
    wait_for_answers(cards, 4)
    presenter.locator("#live-counts").get_by_text("4").first.wait_for()
    assert presenter.locator("#live-result img").count() == 0
    control(supervisor, "Paljasta tulos")
    presenter.locator("#live-result li.deck-card").nth(3).wait_for()
    shown = presenter.locator("#live-result img").evaluate_all(
        "images => images.map(image => image.getAttribute('src'))"
    )
    assert sorted(src.rsplit("/", 1)[1] for src in shown) == sorted(f"{k}.svg" for k in picks)
    phones[1].locator("#live-result li.deck-card").nth(3).wait_for()
    phones[1].wait_for_timeout(800)  # the cards' fade-in (0.6 s) has ended
    screenshot(presenter, "live-presenter-cards")
    screenshot(phones[1], "live-phone-cards-revealed")
    assert phones[1].evaluate("document.documentElement.scrollWidth") <= 375
    supervisor.get_by_label("Tallenna yhteenveto tapaamisen tietoihin (ilman nimiä)").check()
    supervisor.get_by_role("button", name="Lopeta", exact=True).click()
    supervisor.get_by_text("Tallennettu tapaamisen tietoihin ilman nimiä").wait_for()
    assert supervisor.locator("li.deck-card").count() == 4
    screenshot(supervisor, "live-saved-cards")
    snapshot = Snapshot.objects.get()
    assert snapshot.run == cards and "bridge" not in snapshot.data  # sealed
    assert not Answer.objects.exists()
    for page in (supervisor, presenter, *phones):
        page.context.close()


def test_a_four_field_board_with_the_presenter_and_two_phones(browser, asgi_server, world):
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)
    supervisor.goto(f"/meetings/{world.meeting.uuid}/live/")
    supervisor.locator("input[name=method][value=board]").check()
    supervisor.get_by_label("Kysymys tai ohje").fill("Mitä tiimimme työssä on nyt?")
    supervisor.get_by_label("Taulu: pohja").select_option("four")
    supervisor.get_by_label("Nelikenttä: neljäs kenttä").fill("Mistä luovumme")
    supervisor.get_by_label("Näytä tulos vasta").fill("2")
    screenshot(supervisor, "live-start-board")
    supervisor.get_by_role("button", name="Aloita").click()
    supervisor.wait_for_url(re.compile(r".*/live/runs/[0-9a-f-]{36}/$"))
    run = Run.objects.get(method="board")
    assert run.area_labels.splitlines()[3] == "Mistä luovumme"
    presenter = new_page(browser, asgi_server, phone=False)
    presenter.context.add_cookies(supervisor.context.cookies())
    presenter.goto(f"/live/runs/{run.uuid}/presenter/")

    first, second = (new_page(browser, asgi_server, phone=True) for _ in range(2))
    for each in (first, second):
        join(each, run.join_code)
    # Written privately: the note stays on the writer's phone until posted.
    first.get_by_label("Lappusi").fill("Hyvä yhteishenki ja huumori")
    first.get_by_role("button", name="Tallenna itsellesi").click()
    first.locator(".my-note.draft").wait_for()
    first.get_by_label("Lappusi").fill("Kiire syö kohtaamiset")
    first.locator("label.word-choice", has_text="Mikä ei vielä toimi").click()
    first.get_by_role("button", name="Tallenna itsellesi").click()
    first.locator(".my-note.draft").nth(1).wait_for()
    screenshot(first, "live-phone-board-drafts")
    assert "yhteishenki" not in presenter.content() and "yhteishenki" not in second.content()
    first.get_by_role("button", name="Julkaise kaikki lappuni").click()
    first.locator(".my-note:not(.draft)").nth(1).wait_for()
    second.get_by_label("Lappusi").fill("Uusi työvuorosuunnittelu")
    second.locator("label.word-choice", has_text="Mitä haluamme lisää").click()
    second.get_by_role("button", name="Tallenna itsellesi").click()
    # One poster and k = 2: nothing of the board anywhere yet.
    presenter.locator("#live-counts").get_by_text("1").first.wait_for()
    control(supervisor, "Paljasta tulos", presenter, first, second)
    for page in (presenter, first, second):
        page.locator("#live-result").get_by_text("vähintään 2 on julkaissut").wait_for()
        assert page.locator("#live-result .board-note").count() == 0
    control(supervisor, "Takaisin vastaamaan", second)
    second.get_by_role("button", name="Julkaise", exact=True).click()
    second.locator(".my-note:not(.draft)").wait_for()
    control(supervisor, "Paljasta tulos")
    presenter.locator("#live-result .board-note").nth(2).wait_for()
    expect(presenter.get_by_role("region", name="Mistä luovumme")).to_be_visible()

    # The supervisor moves a note with the keyboard: no dragging needed.
    note = supervisor.locator(".board-note", has_text="Kiire syö kohtaamiset")
    note.locator("summary").focus()
    supervisor.keyboard.press("Enter")
    note.get_by_label("Alue").select_option(label="Mistä luovumme")
    note.get_by_role("button", name="Siirrä", exact=True).focus()
    supervisor.keyboard.press("Enter")
    presenter.get_by_role("region", name="Mistä luovumme").get_by_text("Kiire syö").wait_for()
    # Dragging does the same for a mouse.
    supervisor.locator(".board-note", has_text="yhteishenki").drag_to(
        supervisor.get_by_role("region", name="Mikä ei vielä toimi")
    )
    presenter.get_by_role("region", name="Mikä ei vielä toimi").get_by_text(
        "yhteishenki"
    ).wait_for()
    # ... and groups two notes.
    for text, group in (("yhteishenki", "Uusi ryhmä"), ("työvuoro", "Ryhmä 1")):
        note = supervisor.locator(".board-note", has_text=text)
        note.locator("summary").click()
        note.get_by_label("Ryhmä", exact=True).select_option(label=group)
        note.get_by_role("button", name="Siirrä ryhmään").click()
        presenter.locator(".board-group .board-note", has_text=text).wait_for()

    # Dot-voting: three dots each; the board shows the counts, not who gave them.
    second.locator(".board-note", has_text="Kiire").get_by_role("button", name="Anna piste").click()
    second.get_by_text("Sinulla on 2 pistettä annettavana").wait_for()
    first.locator(".board-note", has_text="Kiire").get_by_role("button", name="Anna piste").click()
    presenter.locator(".board-note", has_text="Kiire").get_by_text("2 pistettä").wait_for()
    screenshot(presenter, "live-presenter-board")
    screenshot(second, "live-phone-board")
    assert second.evaluate("document.documentElement.scrollWidth") <= 375
    supervisor.get_by_label("Tallenna yhteenveto tapaamisen tietoihin (ilman nimiä)").check()
    supervisor.get_by_role("button", name="Lopeta", exact=True).click()
    supervisor.get_by_text("Tallennettu tapaamisen tietoihin ilman nimiä").wait_for()
    assert supervisor.locator(".board-note").count() == 3
    screenshot(supervisor, "live-saved-board")
    for page in (supervisor, presenter, first, second):
        page.context.close()


@pytest.mark.parametrize("layout", ["rings", "timeline"])
def test_resource_rings_and_a_timeline_on_the_presenter_and_a_phone(
    browser, asgi_server, world, layout
):
    from tests.live_helpers import join as join_directly
    from tests.live_helpers import run_in
    from tila.live.actions import act_on_board, change_state

    run = run_in(world.meeting, world.owner, method="board", layout=layout, k=1, show_live=True)
    writer = join_directly(run)
    notes = {
        "rings": [
            ("Oma jaksaminen", 0),
            ("Kollegan tuki", 1),
            ("Esihenkilö", 2),
            ("Työnohjaus", 3),
        ],
        "timeline": [("Uusi tiimi", 0), ("Muutto", 1), ("Kehittämispäivä", 0), ("Sairauslomat", 1)],
    }[layout]
    for text, area in notes:
        act_on_board(participant=writer, data={"action": "write", "text": text, "area": area})
    act_on_board(participant=writer, data={"action": "post-all"})
    change_state(run=run, state="revealed", actor=world.owner)
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)
    supervisor.goto(f"/live/runs/{run.uuid}/presenter/")
    supervisor.locator("#live-result .board-note").nth(3).wait_for()
    screenshot(supervisor, f"live-presenter-board-{layout}")
    change_state(run=run, state="open", actor=world.owner)
    phone = new_page(browser, asgi_server, phone=True)
    join(phone, run.join_code)
    phone.locator("#live-result .board-note").nth(3).wait_for()
    screenshot(phone, f"live-phone-board-{layout}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    for page in (supervisor, phone):
        page.context.close()


def test_a_round_with_a_reflecting_team_on_the_presenter_and_a_phone(browser, asgi_server, world):
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)
    supervisor.goto(f"/meetings/{world.meeting.uuid}/live/")
    supervisor.locator("input[name=method][value=turns]").check()
    supervisor.get_by_label("Kierros: puheaika kullekin").select_option("60")
    supervisor.get_by_label(re.compile("^Kierros: reflektiivisen tiimin vaiheet")).check()
    supervisor.get_by_role("button", name="Aloita").click()
    supervisor.wait_for_url(re.compile(r".*/live/runs/[0-9a-f-]{36}/$"))
    run = Run.objects.get(method="turns")
    presenter = new_page(browser, asgi_server, phone=False)
    presenter.context.add_cookies(supervisor.context.cookies())
    presenter.goto(f"/live/runs/{run.uuid}/presenter/")
    phones = [new_page(browser, asgi_server, phone=True) for _ in range(2)]
    for each, name in zip(phones, ("Aino", "Eero"), strict=True):
        each.goto(f"/live/{run.join_code}/")
        each.get_by_label("Etunimesi").fill(name)
        each.get_by_role("button", name="Liity").click()
        each.locator("#live-panel .turns").wait_for()
    supervisor.locator(".turn-order li", has_text="Eero").wait_for()
    # Eero speaks first: moved up with a button, then given the turn.
    supervisor.get_by_role("button", name="Eero aiemmaksi").click()
    presenter.locator(".turn-order li .turn-name").first.get_by_text("Eero").wait_for()
    supervisor.get_by_role("button", name="Anna ensimmäinen puheenvuoro").click()
    presenter.locator(".turn-speaker", has_text="Eero").wait_for()
    phones[0].locator(".turn-speaker", has_text="Eero").wait_for()
    timer = presenter.locator(".turn-timer")
    first = timer.inner_text()
    presenter.wait_for_function(
        "shown => document.querySelector('.turn-timer').textContent !== shown", arg=first
    )
    assert re.fullmatch(r"0:5\d|1:00", timer.inner_text())
    supervisor.get_by_role("button", name="Tiimi reflektoi").click()
    phones[1].locator(".turn-phases li.current", has_text="Tiimi reflektoi").wait_for()
    presenter.locator(".turn-phases li.current", has_text="Tiimi reflektoi").wait_for()
    tools = presenter.locator(".turn-tools")
    assert tools.count() == 2  # sent, but hidden on the presenter
    assert not tools.first.is_visible() and not tools.last.is_visible()
    assert phones[0].locator(".turn-tools").count() == 0
    screenshot(presenter, "live-presenter-round")
    screenshot(phones[0], "live-phone-round")
    screenshot(supervisor, "live-control-round")
    assert phones[0].evaluate("document.documentElement.scrollWidth") <= 375
    for page in (supervisor, presenter, *phones):
        page.context.close()

"""Line-up, strengths, an emotion check-in and an own picture deck on 375 px phones, with the
shared screen: the participants' views and the revealed results, with screenshots for the
issue's note."""

import io
import re
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_live import asgi_server, control, new_page, wait_for_answers
from tests.factories import PASSWORD
from tila.live.models import Run

__all__ = ["asgi_server"]  # the fixture, served by uvicorn as in test_live.py

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start(page: Any, meeting: Any, method: str, prompt: str, **fields: str) -> Run:
    """Start an exercise from the meeting's page; ``fields`` fill labelled inputs, and
    ``deck`` picks a deck by its name."""
    page.goto(f"/meetings/{meeting.uuid}/live/")
    page.locator(f"input[name=method][value={method}]").check()
    page.get_by_label("Kysymys tai ohje").fill(prompt)
    if "deck" in fields:
        page.get_by_label("Korttipakka (kortteihin)").select_option(label=fields.pop("deck"))
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Aloita").click()
    page.wait_for_url(re.compile(r".*/live/runs/[0-9a-f-]{36}/$"))
    return Run.objects.get(rounds__prompt=prompt)


def join_named(page: Any, code: str, name: str) -> None:
    page.goto(f"/live/{code}/")
    page.locator("input[name=name]").fill(name)
    page.get_by_role("button", name="Liity").click()
    page.locator("#live-panel form.live-answer").wait_for()


def settled(page: Any) -> None:
    """Wait for the result's fade-in (0.6 s) to end before a screenshot."""
    page.wait_for_timeout(800)


def fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_line_up_and_strengths_on_three_phones(browser, asgi_server, world):
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)
    ends = {"Jana: janan vasen pää": "Uuvuksissa", "Jana: janan oikea pää": "Täynnä energiaa"}
    lineup = start(supervisor, world.meeting, "lineup", "Missä olet tänään?", **ends)
    presenter = new_page(browser, asgi_server, phone=True)
    presenter.context.add_cookies(supervisor.context.cookies())
    presenter.goto(f"/live/runs/{lineup.uuid}/presenter/")
    screenshot(presenter, "live-presenter-phone-lineup-joining")
    fits_the_phone(presenter)

    phones = [new_page(browser, asgi_server, phone=True) for _ in range(3)]
    for each in phones:
        each.goto(f"/live/{lineup.join_code}/")
        each.get_by_role("button", name="Liity").click()
        each.locator("#live-panel form.live-answer").wait_for()
    screenshot(phones[0], "live-phone-lineup-answering")
    fits_the_phone(phones[0])
    for each, position in zip(phones, ("20", "35", "80"), strict=True):
        each.locator("#live-position").fill(position)
        each.get_by_role("button", name="Lähetä").click()
        each.locator(".live-saved").wait_for()
    wait_for_answers(lineup, 3)
    control(supervisor, "Paljasta tulos")
    for page in (presenter, *phones):
        page.locator("#live-result circle.dot").nth(2).wait_for()
    assert phones[0].locator("#live-result").get_by_text("Uuvuksissa").count() == 1
    settled(phones[0])
    screenshot(phones[0], "live-phone-lineup")
    supervisor.goto(f"/live/runs/{lineup.uuid}/presenter/")
    supervisor.locator("#live-result circle.dot").nth(2).wait_for()
    settled(supervisor)
    screenshot(supervisor, "live-presenter-lineup")
    supervisor.goto(f"/live/runs/{lineup.uuid}/")
    screenshot(presenter, "live-presenter-phone-lineup")
    fits_the_phone(phones[0])
    fits_the_phone(presenter)
    supervisor.get_by_role("button", name="Lopeta", exact=True).click()
    phones[0].get_by_text("Harjoitus on päättynyt").first.wait_for()

    strengths = start(supervisor, world.meeting, "strengths", "Mitä vahvuuksia näette?")
    presenter.goto(f"/live/runs/{strengths.uuid}/presenter/")
    for each, name in zip(phones, ("Aino", "Eero", "Helmi"), strict=True):
        join_named(each, strengths.join_code, name)
    gifts = [("Eero", ["kuuntelu", "huumori"]), ("Helmi", ["rohkeus"]), ("Aino", ["empatia"])]
    # Everyone chooses first and then gives in turn: each gift redraws the others' lists of
    # whom to give to, and a choice already made stays.
    for each, (to, words) in zip(phones, gifts, strict=True):
        each.locator("#live-to").select_option(label=to)
        for word in words:
            each.locator("label.word-choice", has_text=re.compile(f"^{word}$")).click()
    for each, (to, _words) in zip(phones, gifts, strict=True):
        each.wait_for_timeout(300)
        assert each.locator("#live-to option:checked").inner_text() == to
        each.get_by_role("button", name="Anna", exact=True).click()
        each.locator(".live-saved").wait_for()
    screenshot(phones[0], "live-phone-strengths-given")
    fits_the_phone(phones[0])
    wait_for_answers(strengths, 3)
    control(supervisor, "Paljasta tulos")
    phones[1].locator("ul.received li").nth(1).wait_for()
    assert sorted(phones[1].locator("ul.received li").all_inner_texts()) == [
        "huumori",
        "kuuntelu",
    ]
    assert phones[0].locator("ul.received li").all_inner_texts() == ["empatia"]
    presenter.locator("#live-result .word-bars li").nth(3).wait_for()
    assert presenter.locator("#live-result .word-bars .bar-label").all_inner_texts() == [
        "kuuntelu",
        "huumori",
        "rohkeus",
        "empatia",
    ]
    room = new_page(browser, asgi_server, phone=False)
    room.context.add_cookies(supervisor.context.cookies())
    room.goto(f"/live/runs/{strengths.uuid}/presenter/")
    room.locator("#live-result .word-bars li").nth(3).wait_for()
    screenshot(room, "live-presenter-strengths")
    settled(phones[1])
    screenshot(phones[1], "live-phone-strengths-received")
    screenshot(presenter, "live-presenter-phone-strengths")
    fits_the_phone(phones[1])
    fits_the_phone(presenter)
    for page in (supervisor, presenter, room, *phones):
        page.context.close()


def _picture(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, format="JPEG")
    return out.getvalue()


def test_an_own_picture_deck_on_a_phone(browser, asgi_server, world, tmp_path):
    supervisor = new_page(browser, asgi_server, phone=True)
    log_in(supervisor, world.owner.email, PASSWORD)
    supervisor.goto("/live/decks/")
    supervisor.get_by_label("Pakan nimi").fill("Järvimaisemat")
    supervisor.get_by_label("Kuvakortit (jokaisessa kortissa on kuva)").check()
    supervisor.get_by_role("button", name="Luo pakka").click()
    supervisor.wait_for_load_state()
    for caption, colour in (("Aamu", (200, 170, 90)), ("Ilta", (40, 60, 120))):
        path = tmp_path / f"{caption}.jpg"
        path.write_bytes(_picture(colour))
        supervisor.get_by_label("Sana tai kuvateksti").fill(caption)
        supervisor.get_by_label("Kuva", exact=True).set_input_files(str(path))
        supervisor.get_by_role("button", name="Lisää kortti").click()
        supervisor.wait_for_load_state()
    supervisor.locator(".own-cards img").nth(1).wait_for()
    screenshot(supervisor, "live-own-deck-phone")
    fits_the_phone(supervisor)

    prompt = "Kumpi kuva kuvaa päivääsi?"
    run = start(supervisor, world.meeting, "cards", prompt, deck="Järvimaisemat")
    phone = new_page(browser, asgi_server, phone=True)
    phone.goto(f"/live/{run.join_code}/")
    phone.get_by_role("button", name="Liity").click()
    phone.locator("#live-panel form.live-answer").wait_for()
    images = phone.locator("label.deck-card img")
    assert images.count() == 2
    phone.wait_for_function(
        "() => [...document.querySelectorAll('label.deck-card img')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    screenshot(phone, "live-phone-own-picture-deck")
    fits_the_phone(phone)
    for page in (supervisor, phone):
        page.context.close()


def test_an_emotion_check_in_on_three_phones(browser, asgi_server, world):
    supervisor = new_page(browser, asgi_server, phone=False)
    log_in(supervisor, world.owner.email, PASSWORD)
    run = start(supervisor, world.meeting, "emotion", "Millä mielellä tulet tänään?")
    presenter = new_page(browser, asgi_server, phone=False)
    presenter.context.add_cookies(supervisor.context.cookies())
    presenter.goto(f"/live/runs/{run.uuid}/presenter/")

    phones = [new_page(browser, asgi_server, phone=True) for _ in range(3)]
    for each in phones:
        each.goto(f"/live/{run.join_code}/")
        each.get_by_role("button", name="Liity").click()
        each.locator("#live-panel form.live-answer").wait_for()
    words = phones[0].locator("label.word-choice").all_inner_texts()
    picks = [[0, 3], [0], [3, 5, 7]]
    for each, chosen, strength in zip(phones, picks, ("6", "4", "8"), strict=True):
        for index in chosen:
            each.locator("label.word-choice").nth(index).click()
        each.locator(f"label.scale-choice:has(input[name=intensity][value='{strength}'])").click()
        if each is phones[2]:
            screenshot(each, "live-phone-emotion-answering")
            fits_the_phone(each)
        each.get_by_role("button", name="Lähetä").click()
        each.locator(".live-saved").wait_for()
    wait_for_answers(run, 3)
    control(supervisor, "Paljasta tulos")
    for page in (presenter, *phones):
        page.locator("#live-result circle.dot").nth(2).wait_for()
    # The most chosen words first, each with its count; no one's name anywhere.
    labels = presenter.locator("#live-result .word-bars .bar-label").all_inner_texts()
    assert labels[:2] == [words[0], words[3]] and len(labels) == 4
    settled(presenter)
    screenshot(presenter, "live-presenter-emotion")
    settled(phones[1])
    screenshot(phones[1], "live-phone-emotion")
    fits_the_phone(phones[1])
    for page in (supervisor, presenter, *phones):
        page.context.close()

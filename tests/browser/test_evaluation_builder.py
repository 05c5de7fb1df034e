"""On a phone: the supervisor builds a questionnaire of her own, adding a question row, and
reads the session feedback trend of a contract, its table printed open."""

from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_clients_new_client import logged_in
from tests.factories import at, make_meeting
from tests.portal_helpers import member_of
from tila.evaluations.actions import measure_questionnaire, open_round, submit_answers
from tila.evaluations.models import Item, Point, Questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_building_a_questionnaire_on_a_phone(phone_page, world, live_server):
    page = phone_page
    logged_in(page, world.owner, live_server.url)
    page.goto("/evaluations/questionnaires/")
    _fits(page)
    page.get_by_role("link", name="Uusi kysely").click()
    page.wait_for_load_state()
    page.locator("#id_title_fi").fill("Tiimin oma kysely")
    first = page.locator("fieldset.builder-item").nth(0)
    first.get_by_label("Kysymys suomeksi").fill("Kuinka kuormittunut olet?")
    first.get_by_text("Asteikon päiden selitteet").click()
    first.get_by_label("Asteikon alapään selite suomeksi").fill("En lainkaan")
    page.get_by_role("button", name="Lisää kysymys").click()
    page.wait_for_load_state()
    assert page.locator("fieldset.builder-item").count() == 2
    second = page.locator("fieldset.builder-item").nth(1)
    second.get_by_label("Kysymys suomeksi").fill("Mikä auttaa?")
    second.locator("select").select_option("multiple")
    second.get_by_text("Vaihtoehdot (yksi tai useampi valinta)").click()
    second.get_by_label("Vaihtoehdot suomeksi, yksi kullekin riville").fill("Tauot\nTiimi")
    _fits(page)
    screenshot(page, "evaluations-builder-375")
    page.get_by_role("button", name="Tallenna kysely").click()
    page.wait_for_load_state()
    assert "Kysely tallennettiin." in page.content()
    made = Questionnaire.objects.get(title_fi="Tiimin oma kysely")
    items = list(Item.objects.filter(section__questionnaire=made).order_by("position"))
    assert [(item.kind, item.text_fi) for item in items] == [
        ("scale10", "Kuinka kuormittunut olet?"),
        ("multiple", "Mikä auttaa?"),
    ]
    assert items[0].low_label_fi == "En lainkaan"
    assert items[1].choices == [{"fi": "Tauot", "en": ""}, {"fi": "Tiimi", "en": ""}]
    _fits(page)
    page.get_by_role("link", name="Näytä vastaajan näkymä").click()
    page.wait_for_load_state()
    assert page.get_by_label("Tauot").is_disabled()
    _fits(page)
    screenshot(page, "evaluations-builder-preview-375")


def _round(world: Any, measure: str, point: str, answers: list[int], day: int = 0) -> None:
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, measure),
        anonymous=True,
        k=3,
        actor=world.owner,
        point=point,
        meeting=make_meeting(world.contract, world.owner, at(2026, 12, day)) if day else None,
    )
    for index, number in enumerate(answers):
        submit_answers(
            evaluation=evaluation,
            person=member_of(world.contract, index).person,
            actor=None,
            values={
                item: number if item.is_numeric else ("Hyvä" if item.is_text else [0])
                for item in Item.objects.filter(section__questionnaire=evaluation.questionnaire)
            },
        )


@time_machine.travel(at(2026, 12, 20, 12))
def test_the_trend_charts_on_a_phone_and_in_print(phone_page, world, live_server):
    _round(world, "session_feedback", Point.SESSION, [6, 7, 8], day=2)
    _round(world, "session_feedback", Point.SESSION, [9, 9], day=9)
    _round(world, "session_feedback", Point.SESSION, [8, 9, 9, 10], day=16)
    _round(world, "baseline", Point.START, [2, 3, 2])
    _round(world, "baseline", Point.FINAL, [4, 4, 5])
    page = phone_page
    logged_in(page, world.owner, live_server.url)
    page.goto(f"/contracts/{world.contract.uuid}/evaluations/")
    chart = page.locator("svg.trend-chart")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and 250 < box["width"] <= 375
    assert chart.locator("circle").count() == 2
    change = page.locator("svg.change-chart")
    assert change.locator("rect.start").count() == change.locator("rect.end").count() == 8
    _fits(page)
    screenshot(page, "evaluations-trend-375")
    table = page.locator("section[aria-labelledby=session-trend-heading] table")
    assert not table.is_visible()
    page.emulate_media(media="print")
    expect(table).to_be_visible()
    screenshot(page, "evaluations-trend-print")

"""An anonymous feedback round in real browsers: the supervisor opens it, three supervisees
answer on their phones, and the results appear only with the third answer."""

import io
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import (
    log_in_by_code,
    refuse_csp_violations,
    screenshot,
)
from tests.browser.test_clients_new_client import logged_in
from tests.factories import at
from tests.portal_helpers import member_of
from tila.evaluations.models import EvaluationRound, Response
from tila.portal.actions import invite_supervisee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [(9, "Sain uutta ajateltavaa."), (7, ""), (8, "Kiireestä puhuminen auttoi.")]


def _phone(browser: Any, live_server: Any) -> tuple[Any, list[str]]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="fi-FI",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    return phone, refuse_csp_violations(phone)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@time_machine.travel(at(2026, 11, 15, 12))
def test_anonymous_feedback_round_from_opening_to_the_chart(
    page, phone_page, browser, world, live_server
):
    logged_in(page, world.owner, live_server.url)
    page.goto(f"/contracts/{world.contract.uuid}/evaluations/")
    page.get_by_label("Kysely").select_option("session_feedback")
    assert page.locator("input[name=anonymous]").is_checked()
    page.get_by_role("button", name="Avaa vastattavaksi").click()
    page.wait_for_url("**/evaluations/*/")
    evaluation = EvaluationRound.objects.get()
    assert evaluation.anonymous and evaluation.k == 3
    round_url = f"/evaluations/{evaluation.uuid}/"

    for index, (number, text) in enumerate(ANSWERS):
        member = member_of(world.contract, index)
        invite_supervisee(member=member, actor=world.owner)
        phone, violations = _phone(browser, live_server)
        log_in_by_code(phone, member.person.email)
        phone.wait_for_url("**/portal/")
        phone.get_by_role("link", name="Avaa arvioinnit").click()
        phone.get_by_role("link", name="Palaute tapaamisesta").click()
        phone.wait_for_url(f"**/portal/evaluations/{evaluation.uuid}/")
        _fits(phone)
        if index == 0:
            screenshot(phone, "evaluations-answer-form-375")
        for fieldset in phone.locator("fieldset").all():
            fieldset.get_by_label(str(number), exact=True).check()
        if text:
            phone.get_by_label("Mitä otat mukaasi?").fill(text)
        phone.get_by_role("button", name="Lähetä vastaukseni").click()
        phone.wait_for_url(f"**/portal/evaluations/{evaluation.uuid}/")
        assert "Kiitos" in phone.content()
        _fits(phone)
        if index == 0:
            screenshot(phone, "evaluations-answered-375")
        phone.context.close()
        assert not violations, violations

        page.goto(round_url)
        if index < 2:
            # Below k, the supervisor sees how many have answered and nothing of what.
            assert page.locator("svg.evaluation-chart").count() == 0
            assert f"{index + 1}" in page.locator("main").inner_text()
            for _, earlier in ANSWERS[: index + 1]:
                if earlier:
                    assert earlier not in page.content()
            if index == 1:
                screenshot(page, "evaluations-round-below-k")

    assert Response.objects.filter(round=evaluation).count() == 3
    charts = page.locator("svg.evaluation-chart")
    assert charts.count() == 4
    assert charts.first.get_attribute("role") == "img"
    assert "keskiarvo 8,0" in charts.first.inner_html()
    for _, text in ANSWERS:
        if text:
            assert text in page.content()
    screenshot(page, "evaluations-round-results")

    logged_in(phone_page, world.owner, live_server.url)
    phone_page.goto(round_url)
    _fits(phone_page)
    screenshot(phone_page, "evaluations-round-results-375")

    # On paper: no navigation or buttons, each question whole with its table printed open.
    page.emulate_media(media="print")
    assert not page.locator(".sidebar").is_visible()
    assert not page.get_by_role("link", name="Raportti PDF:nä").is_visible()
    expect(page.locator(".evaluation-item table").first).to_be_visible()
    screenshot(page, "evaluations-round-print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(sheet.extract_text() for sheet in printed.pages)
    assert "Keskiarvo" in text and "keskiarvo 8,0" in text
    assert "Lataa CSV" not in text

"""The interim evaluation of a team of five, from opening to the orderer's summary.

The supervisor opens the interim evaluation from the contract's evaluation points; four of the
five answer on their phones; she sees the group results and shares a summary of each round with
the orderer; the orderer's contact logs in and sees that summary and nothing else: no open
answer, no goal the team keeps to itself."""

from typing import Any

import pytest
import time_machine

from tests.browser.conftest import log_in_by_code, refuse_csp_violations, screenshot
from tests.browser.test_clients_new_client import logged_in
from tests.browser.test_public import serious_violations
from tests.evaluations_helpers import feedback_round
from tests.factories import at
from tests.portal_helpers import member_of
from tila.evaluations.actions import submit_answers
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import EvaluationRound, Item, Response
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.statements.models import Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    (8, "Tiimin keskustelut ovat rauhoittuneet."),
    (6, "Esimiehen kanssa on yhä hankalaa."),
    (9, "Saan apua vaikeisiin asiakastilanteisiin."),
    (7, "Toivoisin enemmän aikaa jokaiselle."),
]
SHARED_GOAL = "Yhteinen perustehtävä kirkastuu"
PRIVATE_GOAL = "Vuorovaikutus tiimissä paranee"


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


def _answer(phone: Any, title: str, number: int, text: str) -> None:
    phone.goto("/portal/evaluations/")
    phone.get_by_role("link", name=title).click()
    phone.wait_for_load_state()
    for fieldset in phone.locator("fieldset").all():
        fieldset.get_by_label(str(number), exact=True).check()
    if text:
        phone.locator("textarea").first.fill(text)
    phone.get_by_role("button", name="Lähetä vastaukseni").click()
    phone.wait_for_load_state()
    assert "Kiitos" in phone.content()


def _share(page: Any, evaluation: EvaluationRound, name: str) -> str:
    """From the round's page: preview the orderer's summary, look at it, share it."""
    page.goto(f"/evaluations/{evaluation.uuid}/")
    page.get_by_role("link", name="Esikatsele yhteenvetoa tilaajalle").click()
    page.wait_for_url(f"**/evaluations/{evaluation.uuid}/orderer-summary/")
    preview = page.locator("main").inner_text()
    screenshot(page, f"evaluation-sharing-{name}-preview")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Jaa tilaajalle").click()
    page.wait_for_url(f"**/evaluations/{evaluation.uuid}/")
    assert "Yhteenveto jaettiin tilaajalle" in page.content()
    return preview


@time_machine.travel(at(2026, 11, 15, 12))
def test_the_orderer_sees_only_the_summary_the_supervisor_shared(
    page, phone_page, browser, world, live_server
):
    # The supervisor sets the interim evaluation for today: it opens with the goals' round.
    logged_in(page, world.owner, live_server.url)
    page.goto(f"/contracts/{world.contract.uuid}/evaluations/")
    page.fill("input[name=schedule-interim_on]", "2026-11-15")
    page.get_by_role("button", name="Tallenna arviointikohdat").click()
    page.wait_for_load_state()
    interim = EvaluationRound.objects.get(measure="interim")
    goals = EvaluationRound.objects.get(measure=GOAL_ATTAINMENT)
    assert interim.anonymous and interim.k == 3 and world.contract.client.members.count() == 5
    screenshot(page, "evaluation-sharing-opened")

    # Four of the five answer on their phones.
    for index, (number, text) in enumerate(ANSWERS):
        member = member_of(world.contract, index)
        invite_supervisee(member=member, actor=world.owner)
        phone, violations = _phone(browser, live_server)
        log_in_by_code(phone, member.person.email)
        phone.wait_for_url("**/portal/")
        _answer(phone, "Väliarviointi", number, text)
        _fits(phone)
        if index == 0:
            screenshot(phone, "evaluation-sharing-answered-375")
        _answer(phone, "Tavoitteiden saavuttaminen", number, "")
        phone.context.close()
        assert not violations, violations
    assert Response.objects.filter(round=interim).count() == 4

    # The supervisor sees the group results, the open answers among them.
    page.goto(f"/evaluations/{interim.uuid}/")
    assert page.locator("svg.evaluation-chart").count() == 6
    assert "keskiarvo 7,5" in page.content()
    for _, text in ANSWERS:
        assert text in page.content()
    screenshot(page, "evaluation-sharing-results")

    # She previews the orderer's summary of each round and shares it.
    preview = _share(page, interim, "interim")
    assert "Yhteistyö työnohjaajan kanssa toimii." in preview
    for _, text in ANSWERS:
        assert text not in preview
    preview = _share(page, goals, "goals")
    assert SHARED_GOAL in preview and PRIVATE_GOAL not in preview
    assert Statement.objects.filter(summary_of__isnull=False).count() == 2

    # The orderer's contact logs in with an emailed code and sees that summary, nothing more.
    invite_contact(contact=world.contact, actor=world.owner)
    orderer, violations = _phone(browser, live_server)
    log_in_by_code(orderer, world.contact.email)
    orderer.wait_for_url("**/orderer/")
    orderer.goto(f"/orderer/contracts/{world.contract.uuid}/")
    shown = orderer.locator("main").inner_text()
    assert "Väliarviointi" in shown and "Yhteistyö työnohjaajan kanssa toimii." in shown
    assert "keskiarvo 7,5" in orderer.content()
    assert SHARED_GOAL in shown
    assert PRIVATE_GOAL not in orderer.content()
    for _, text in ANSWERS:
        assert text not in orderer.content()
    assert orderer.locator("svg.summary-chart").count() == 7
    _fits(orderer)
    screenshot(orderer, "evaluation-sharing-orderer-375")
    assert serious_violations(orderer) == []
    orderer.context.close()
    assert not violations, violations

    # The team sees what was shared; on her own answers page, why an anonymous round is not there.
    member = member_of(world.contract, 0)
    log_in_by_code(phone_page, member.person.email)
    phone_page.wait_for_url("**/portal/")
    phone_page.goto(f"/portal/contracts/{world.contract.uuid}/")
    assert "Yhteistyö työnohjaajan kanssa toimii." in phone_page.content()
    assert PRIVATE_GOAL in phone_page.content()  # her own goals, on her own page
    _fits(phone_page)
    screenshot(phone_page, "evaluation-sharing-portal-375")
    phone_page.goto("/portal/evaluations/my-answers/")
    assert "Nimettömien arviointien vastauksia tässä ei ole" in phone_page.content()
    assert "Väliarviointi" in phone_page.content()
    _fits(phone_page)
    screenshot(phone_page, "evaluation-sharing-own-answers-375")
    assert serious_violations(phone_page) == []


def test_a_supervisee_reads_her_own_answers_over_time_on_her_phone(phone_page, world):
    """Two named feedback rounds a month apart: her answers side by side, oldest first."""
    member = member_of(world.contract, 0)
    invite_supervisee(member=member, actor=world.owner)
    for day, number, text in [(20, 5, "Jännitti puhua."), (22, 8, "Nyt oli helpompaa.")]:
        with time_machine.travel(at(2026, 10 if day == 20 else 11, day, 12), tick=False):
            evaluation = feedback_round(world.contract, world.owner, anonymous=False)
            items = Item.objects.filter(section__questionnaire=evaluation.questionnaire)
            submit_answers(
                evaluation=evaluation,
                person=member.person,
                actor=None,
                values={item: number if item.is_numeric else text for item in items},
            )
    with time_machine.travel(at(2026, 11, 25, 12)):
        log_in_by_code(phone_page, member.person.email)
        phone_page.wait_for_url("**/portal/")
        phone_page.goto("/portal/evaluations/")
        phone_page.get_by_role("link", name="Omat vastaukseni ajan mittaan").click()
        phone_page.wait_for_load_state()
        content = phone_page.content()
        assert content.index("5 / 10") < content.index("8 / 10")
        assert "Jännitti puhua." in content and "Nyt oli helpompaa." in content
        assert phone_page.get_by_role("heading", name="Tulin kuulluksi.").count() == 1
        _fits(phone_page)
        screenshot(phone_page, "evaluation-own-answers-named-375")
        assert serious_violations(phone_page) == []

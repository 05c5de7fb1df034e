"""Answering the goals through one's own emailed link on a phone, without logging in, and
the supervisor's trend of the goals once enough have answered."""

import pytest
import time_machine

from tests.browser.conftest import refuse_csp_violations, screenshot
from tests.browser.test_clients_new_client import logged_in
from tests.factories import at
from tests.portal_helpers import member_of
from tila.evaluations.links import link_token, links_to_send
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import Response
from tila.evaluations.scheduling import open_due_rounds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(at(2026, 9, 2, 12))
def test_members_answer_the_goals_through_their_links_on_phones(
    phone_page, page, world, live_server
):
    violations = refuse_csp_violations(phone_page)
    goals = next(r for r in open_due_rounds(world.contract) if r.measure == GOAL_ATTAINMENT)
    links = {link.person_id: link for link in links_to_send(goals)}
    for index, number in enumerate([3, 5, 4]):
        person = member_of(world.contract, index).person
        phone_page.goto(f"/answer/{link_token(links[person.pk])}/")
        content = phone_page.content()
        assert "Kuinka pitkällä olemme kohti tätä tavoitetta?" in content
        assert "Vuorovaikutus tiimissä paranee" in content
        assert person.name not in content  # the page names no one
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
        if index == 0:
            screenshot(phone_page, "evaluation-link-goals-375")
        for fieldset in phone_page.locator("fieldset").all():
            fieldset.get_by_label(str(number), exact=True).check()
        phone_page.get_by_role("button", name="Lähetä vastaukseni").click()
        phone_page.wait_for_load_state()
        assert "Kiitos" in phone_page.content()
        if index == 0:
            screenshot(phone_page, "evaluation-link-answered-375")
            # The same link again: answered, no form.
            phone_page.reload()
            phone_page.wait_for_load_state()
            assert phone_page.locator("form.evaluation-form").count() == 0
    assert not violations, violations
    assert Response.objects.filter(round=goals, person__isnull=True).count() == 3

    logged_in(page, world.owner, live_server.url)
    page.goto(f"/contracts/{world.contract.uuid}/evaluations/")
    charts = page.locator("svg.goal-chart")
    assert charts.count() == 2
    assert "4,0" in charts.first.inner_html()
    screenshot(page, "evaluation-goal-trend")

"""A round's summary shared with the orderer, and a supervisee's own answers over time.

The orderer is given group aggregates only: never a free-text answer, never a question about a
goal the supervisees keep to themselves, nothing at all below k answers, and what she is given
is frozen when it is shared."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from tests.evaluations_helpers import answer_as, answer_data, feedback_round
from tests.factories import World, at
from tests.portal_helpers import log_in_as, member_of
from tila.accounts.models import User
from tila.audit.models import Action, AuditEvent
from tila.clients.models import Contact
from tila.evaluations.actions import goal_questionnaire, measure_questionnaire, open_round
from tila.evaluations.models import EvaluationRound, Item, ItemKind
from tila.evaluations.sharing import SharingError, fingerprint, orderer_summary
from tila.evaluations.sharing import share_orderer_summary as share
from tila.orderers.actions import invite_contact
from tila.statements.models import Statement, StatementStatus

pytestmark = pytest.mark.django_db

COOPERATION = "Yhteistyö työnohjaajan kanssa toimii."
SHARED_GOAL = "Yhteinen perustehtävä kirkastuu"
PRIVATE_GOAL = "Vuorovaikutus tiimissä paranee"
TEXTS = ["Kiire on helpottanut", "Esimies ei kuuntele", "Tapaamiset ovat liian aikaisin"]


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        yield


def orderer_client(contact: Contact, actor: User) -> HttpClient:
    http = HttpClient()
    http.force_login(invite_contact(contact=contact, actor=actor).user)
    return http


def interim_round(world: World, k: int = 3) -> EvaluationRound:
    return open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "interim"),
        anonymous=True,
        k=k,
        actor=world.owner,
    )


def answer(evaluation: EvaluationRound, count: int, start: int = 0) -> None:
    """Members ``start``… answer every scale with 6, 7, 8… and the open questions with TEXTS."""
    for index in range(start, start + count):
        answer_as(evaluation, index, 6 + index, TEXTS[index % len(TEXTS)])


def preview_url(evaluation: EvaluationRound) -> str:
    return reverse("evaluation_orderer_summary", args=[evaluation.uuid])


def previewed(page: str) -> str:
    found = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def orderer_page(world: World) -> str:
    http = orderer_client(world.contact, world.owner)
    return http.get(reverse("orderer_contract", args=[world.contract.uuid])).content.decode()


def test_with_one_answer_too_few_nothing_reaches_the_preview_the_share_or_the_orderer(
    world: World, owner_client: HttpClient
):
    evaluation = interim_round(world, k=4)
    answer(evaluation, 3)
    page = owner_client.get(preview_url(evaluation)).content.decode()
    assert "vähintään 4" in page
    assert COOPERATION not in page and "summary-chart" not in page
    assert 'name="previewed"' not in page
    assert orderer_summary(evaluation) is None

    response = owner_client.post(preview_url(evaluation), {"previewed": fingerprint(None)})
    assert response.status_code == 302
    assert not Statement.objects.filter(summary_of=evaluation.uuid).exists()
    with pytest.raises(SharingError):
        share(evaluation=evaluation, previewed=fingerprint(None), actor=world.owner)
    assert not Statement.objects.exists()

    page = orderer_page(world)
    assert COOPERATION not in page and "summary-chart" not in page
    for text in TEXTS:
        assert text not in page


def test_the_shared_summary_holds_the_aggregates_and_no_free_text(
    world: World, owner_client: HttpClient
):
    evaluation = interim_round(world)
    answer(evaluation, 3)
    round_page = owner_client.get(reverse("evaluation_round", args=[evaluation.uuid]))
    assert preview_url(evaluation) in round_page.content.decode()

    page = owner_client.get(preview_url(evaluation)).content.decode()
    assert COOPERATION in page and "keskiarvo 7,0" in page
    for text in TEXTS:
        assert text not in page
    response = owner_client.post(preview_url(evaluation), {"previewed": previewed(page)})
    assert response.status_code == 302
    twice = owner_client.post(preview_url(evaluation), {"previewed": previewed(page)}, follow=True)
    assert "on jo jaettu" in twice.content.decode()

    statement = Statement.objects.get(summary_of=evaluation.uuid)
    assert statement.status == StatementStatus.RELEASED and statement.released_by == world.owner
    summary = statement.summary
    assert summary is not None and summary["count"] == 3
    assert {item["kind"] for item in summary["items"]} == {"scale10"}
    assert len(summary["items"]) == 6
    for text in TEXTS:
        assert text not in str(summary)
    assert AuditEvent.objects.filter(object_id=str(statement.uuid), action=Action.SHARE).exists()
    listed = owner_client.get(reverse("contract_statements", args=[world.contract.uuid]))
    assert "Yhteenveto arvioinnin ryhmätuloksista" in listed.content.decode()
    kept = owner_client.get(reverse("statement_preview", args=[statement.uuid])).content.decode()
    assert COOPERATION in kept and "keskiarvo 7,0" in kept

    shown = orderer_page(world)
    assert COOPERATION in shown and "keskiarvo 7,0" in shown and "Väliarviointi" in shown
    assert 'role="img"' in shown
    for text in TEXTS:
        assert text not in shown

    # The supervisees see what was shared, in their portal.
    supervisee = log_in_as(member_of(world.contract, 0), world.owner)
    portal = supervisee.get(reverse("portal_contract", args=[world.contract.uuid]))
    assert COOPERATION in portal.content.decode()

    # Frozen: a later answer changes the round's results, not what the orderer was given.
    answer(evaluation, 1, start=3)
    assert orderer_summary(evaluation)["count"] == 4  # type: ignore[index]
    statement.refresh_from_db()
    assert statement.summary == summary
    again = orderer_page(world)
    assert "keskiarvo 7,0" in again and "keskiarvo 7,5" not in again


def test_answers_that_came_after_the_preview_stop_the_share(world: World, owner_client: HttpClient):
    evaluation = interim_round(world)
    answer(evaluation, 3)
    seen = previewed(owner_client.get(preview_url(evaluation)).content.decode())
    answer(evaluation, 1, start=3)
    response = owner_client.post(preview_url(evaluation), {"previewed": seen}, follow=True)
    assert "muuttuivat" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_goal_the_supervisees_keep_to_themselves_never_reaches_the_orderer(
    world: World, owner_client: HttpClient
):
    questionnaire = goal_questionnaire(world.contract)
    assert questionnaire is not None
    evaluation = open_round(
        contract=world.contract,
        questionnaire=questionnaire,
        anonymous=True,
        k=3,
        actor=world.owner,
    )
    answer(evaluation, 3)
    page = owner_client.get(preview_url(evaluation)).content.decode()
    assert SHARED_GOAL in page and PRIVATE_GOAL not in page
    owner_client.post(preview_url(evaluation), {"previewed": previewed(page)})
    statement = Statement.objects.get(summary_of=evaluation.uuid)
    assert SHARED_GOAL in str(statement.summary) and PRIVATE_GOAL not in str(statement.summary)
    shown = orderer_page(world)
    assert SHARED_GOAL in shown and PRIVATE_GOAL not in shown


def test_a_removed_goal_is_not_shared_either(world: World):
    """Its question remains in the answered questionnaire, but whether the team kept the goal
    to itself can no longer be told: it stays out."""
    questionnaire = goal_questionnaire(world.contract)
    assert questionnaire is not None
    evaluation = open_round(
        contract=world.contract,
        questionnaire=questionnaire,
        anonymous=True,
        k=3,
        actor=world.owner,
    )
    answer(evaluation, 3)
    world.contract.goals.filter(text=PRIVATE_GOAL).delete()
    world.contract.goals.filter(text=SHARED_GOAL).delete()
    summary = orderer_summary(evaluation)
    assert summary is not None and summary["items"] == []
    assert Item.objects.filter(section__questionnaire=questionnaire).count() == 2


def test_a_question_with_fewer_than_k_answers_is_left_out(world: World):
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "baseline"),
        anonymous=True,
        k=3,
        actor=world.owner,
    )
    choice = Item.objects.get(
        section__questionnaire=evaluation.questionnaire, kind=ItemKind.MULTIPLE
    )
    for index in range(3):
        data: dict[str, Any] = answer_data(evaluation, 4)
        if index < 2:  # the third leaves the optional choice unanswered
            data[f"item-{choice.uuid.hex}"] = ["0"]
        log_in_as(member_of(world.contract, index), world.owner).post(
            reverse("portal_evaluation", args=[evaluation.uuid]), data
        )
    summary = orderer_summary(evaluation)
    assert summary is not None and summary["count"] == 3
    assert choice.text_fi not in str(summary)
    assert {item["kind"] for item in summary["items"]} == {"agree5"}


def test_a_contract_without_an_orderer_has_no_one_to_share_with(
    world: World, owner_client: HttpClient
):
    world.contract.organisation = None
    world.contract.orderer_contact = None
    world.contract.save()
    evaluation = interim_round(world)
    answer(evaluation, 3)
    page = owner_client.get(preview_url(evaluation)).content.decode()
    assert "ei ole tilaajaa" in page and 'name="previewed"' not in page
    summary = orderer_summary(evaluation)
    with pytest.raises(SharingError):
        share(evaluation=evaluation, previewed=fingerprint(summary), actor=world.owner)
    assert not Statement.objects.exists()


def test_the_orderer_reads_the_summary_in_english(world: World, owner_client: HttpClient):
    evaluation = interim_round(world)
    answer(evaluation, 3)
    page = owner_client.get(preview_url(evaluation)).content.decode()
    owner_client.post(preview_url(evaluation), {"previewed": previewed(page)})
    http = orderer_client(world.contact, world.owner)
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = http.get(reverse("orderer_contract", args=[world.contract.uuid])).content.decode()
    assert "Working with the supervisor works well." in shown and "mean 7,0" in shown
    assert "Interim evaluation" in shown


def test_a_supervisee_sees_her_own_named_answers_over_time(world: World):
    first = feedback_round(world.contract, world.owner, anonymous=False)
    http = answer_as(first, 0, 5, "Ensimmäisellä kerralla jännitti")
    answer_as(first, 1, 9, "Toisen jäsenen ajatus")
    second = feedback_round(world.contract, world.owner, anonymous=False)
    answer_as(second, 0, 8, "Nyt jo helpompaa", http=http)
    hidden = feedback_round(world.contract, world.owner, anonymous=True)
    answer_as(hidden, 0, 2, "Nimetön vastaukseni", http=http)

    page = http.get(reverse("portal_own_answers")).content.decode()
    assert "Tulin kuulluksi." in page
    assert page.index("5 / 10") < page.index("8 / 10")
    assert "Ensimmäisellä kerralla jännitti" in page and "Nyt jo helpompaa" in page
    assert "Toisen jäsenen ajatus" not in page and "9 / 10" not in page
    # An anonymous round: only that she answered, by design.
    assert "Nimetön vastaukseni" not in page and "2 / 10" not in page
    assert "nimettömiin" in page.lower() or "nimettömät" in page.lower()
    assert AuditEvent.objects.filter(action=Action.READ, detail__own=True).exists()

    other = log_in_as(member_of(world.contract, 1), world.owner)
    theirs = other.get(reverse("portal_own_answers")).content.decode()
    assert "Toisen jäsenen ajatus" in theirs and "Ensimmäisellä kerralla jännitti" not in theirs

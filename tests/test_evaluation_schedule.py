"""Goal attainment per goal, the interim and final evaluations, rounds opened from the
contract's evaluation points, and invitations with personal answer links over real SMTP."""

import re
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from lxml import etree

from tests.evaluations_helpers import answer_as, answer_data
from tests.factories import World, at, make_meeting
from tests.mail_helpers import SmtpServer, body
from tests.portal_helpers import member_of
from tests.test_authorization_canary import fetch
from tests.test_authorization_matrix import MATRIX, persona_client, persona_users, sides
from tila.contracts.models import Goal, GoalVisibility
from tila.evaluations.actions import (
    close_round,
    goal_questionnaire,
    measure_questionnaire,
    open_round,
)
from tila.evaluations.links import link_token
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import (
    Answer,
    AnswerLink,
    EvaluationRound,
    EvaluationSchedule,
    Item,
    ItemKind,
    Point,
    Respondent,
    Response,
)
from tila.evaluations.results import goal_trends
from tila.evaluations.scheduling import open_due_rounds, open_due_rounds_hourly, schedule_opening
from tila.meetings.actions import mark_held


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def opened(world: World) -> set[tuple[str, str]]:
    return set(
        EvaluationRound.objects.filter(contract=world.contract).values_list("point", "measure")
    )


def hold(world: World, day: int) -> None:
    meeting = make_meeting(world.contract, world.owner, at(2026, 9, day))
    members = list(world.client.current_members())
    mark_held(meeting=meeting, members=members, present=members, actor=world.owner)


def post_by_link(evaluation: EvaluationRound, index: int, number: int, text: str = "") -> int:
    person = member_of(evaluation.contract, index).person
    link, _created = AnswerLink.objects.get_or_create(round=evaluation, person=person)
    url = reverse("evaluation_by_link", args=[link_token(link)])
    return HttpClient().post(url, answer_data(evaluation, number, text)).status_code


def test_goal_attainment_asks_each_goal_and_makes_a_new_version_when_goals_change(
    world: World,
) -> None:
    questionnaire = goal_questionnaire(world.contract)
    assert questionnaire is not None
    items = list(Item.objects.filter(section__questionnaire=questionnaire).order_by("position"))
    goals = list(world.contract.goals.order_by("position", "id"))
    assert [(item.goal_id, item.text_fi, item.kind) for item in items] == [
        (goal.pk, goal.text, ItemKind.SCALE_10) for goal in goals
    ]
    assert questionnaire.sections.get().title_fi == "Kuinka pitkällä olemme kohti tätä tavoitetta?"
    assert goal_questionnaire(world.contract) == questionnaire

    Goal.objects.create(contract=world.contract, text="Uusi tavoite", position=5)
    again = goal_questionnaire(world.contract)
    assert again is not None and again.pk != questionnaire.pk
    assert (again.family, again.version) == (questionnaire.family, 2)
    # The practice's other built-in measures never pick up a contract's goal questionnaire.
    assert measure_questionnaire(world.practice, "baseline").contract is None


def test_supervisee_only_goals_are_marked_as_never_for_the_orderer(world: World) -> None:
    questionnaire = goal_questionnaire(world.contract)
    seen = {
        item.goal.visibility: item.orderer_may_see
        for item in Item.objects.filter(section__questionnaire=questionnaire).select_related("goal")
        if item.goal
    }
    assert seen == {GoalVisibility.SHARED: True, GoalVisibility.SUPERVISEES: False}


@pytest.mark.parametrize("measure", ["interim", "final"])
def test_interim_and_final_evaluations_ask_along_both_axes_with_open_questions(
    world: World, measure: str
) -> None:
    questionnaire = measure_questionnaire(world.practice, measure)
    sections = list(questionnaire.sections.order_by("position"))
    assert [section.title_fi for section in sections] == ["Yhteistyö", "Tavoitteet", "Omin sanoin"]
    kinds = [{item.kind for item in section.items.all()} for section in sections]
    assert kinds == [{ItemKind.SCALE_10}, {ItemKind.SCALE_10}, {ItemKind.LONG_TEXT}]


def test_the_start_point_opens_once_and_the_database_refuses_a_duplicate(world: World) -> None:
    with time_machine.travel(at(2026, 8, 20), tick=False):
        assert open_due_rounds(world.contract) == []  # more than a week before the start
    with time_machine.travel(at(2026, 8, 26), tick=False):
        first = open_due_rounds(world.contract)
        assert {(r.point, r.measure) for r in first} == {
            (Point.START, "baseline"),
            (Point.START, GOAL_ATTAINMENT),
        }
        assert all(r.opened_by is None and r.anonymous for r in first)
        assert open_due_rounds(world.contract) == []
    questionnaire = measure_questionnaire(world.practice, "baseline")
    with pytest.raises(IntegrityError), transaction.atomic():
        open_round(
            contract=world.contract,
            questionnaire=questionnaire,
            anonymous=True,
            k=3,
            actor=None,
            point=Point.START,
        )
    assert EvaluationRound.objects.filter(contract=world.contract).count() == 2


def test_interim_after_held_meetings_final_near_the_end_and_feedback_per_meeting(
    world: World,
) -> None:
    EvaluationSchedule.objects.create(
        contract=world.contract, interim_after_meetings=2, session_feedback=True
    )
    with time_machine.travel(at(2026, 9, 3, 12), tick=False):
        hold(world, 2)
        open_due_rounds(world.contract)
        assert (Point.INTERIM, "interim") not in opened(world)
        assert (Point.SESSION, "session_feedback") in opened(world)
    with time_machine.travel(at(2026, 9, 10, 12), tick=False):
        hold(world, 9)
        open_due_rounds(world.contract)
        assert {(Point.INTERIM, "interim"), (Point.INTERIM, GOAL_ATTAINMENT)} <= opened(world)
        assert (Point.FINAL, "final") not in opened(world)
        assert EvaluationRound.objects.filter(meeting__isnull=False).count() == 2
        open_due_rounds(world.contract)
        assert EvaluationRound.objects.filter(meeting__isnull=False).count() == 2
    with time_machine.travel(at(2027, 6, 17), tick=False):
        open_due_rounds(world.contract)
        assert {
            (Point.FINAL, "final"),
            (Point.FINAL, "baseline"),
            (Point.FINAL, GOAL_ATTAINMENT),
        } <= opened(world)


def test_without_a_schedule_the_interim_comes_from_the_contracts_interval(world: World) -> None:
    world.contract.evaluation_interval_months = 3
    world.contract.save()
    with time_machine.travel(at(2026, 11, 30), tick=False):
        open_due_rounds(world.contract)
        assert (Point.INTERIM, "interim") not in opened(world)
    with time_machine.travel(at(2026, 12, 1), tick=False):
        open_due_rounds(world.contract)
        assert (Point.INTERIM, "interim") in opened(world)


def test_saving_the_schedule_opens_what_is_due(world: World, owner_client: HttpClient) -> None:
    url = reverse("contract_evaluation_schedule", args=[world.contract.uuid])
    with time_machine.travel(at(2026, 9, 2), tick=False):
        response = owner_client.post(
            url,
            {
                "schedule-at_start": "on",
                "schedule-final": "on",
                "schedule-anonymous": "on",
                "schedule-k": "4",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert EvaluationSchedule.objects.get(contract=world.contract).k == 4
    assert opened(world) == {(Point.START, "baseline"), (Point.START, GOAL_ATTAINMENT)}
    bad = owner_client.post(url, {"schedule-k": "2", "schedule-interim_on": "31.2.2027"})
    assert bad.status_code == 200
    errors = bad.context["schedule_form"].errors
    assert set(errors) == {"k", "interim_on"}
    assert EvaluationSchedule.objects.get(contract=world.contract).k == 4
    page = owner_client.get(reverse("contract_evaluations", args=[world.contract.uuid]))
    assert "Vuorovaikutus tiimissä paranee" in page.content.decode()


def _goal_round(world: World, point: str, *, anonymous: bool) -> EvaluationRound:
    questionnaire = goal_questionnaire(world.contract)
    assert questionnaire is not None
    return open_round(
        contract=world.contract,
        questionnaire=questionnaire,
        anonymous=anonymous,
        k=3,
        actor=world.owner,
        point=point,
    )


def test_goal_trend_shows_group_means_only_from_k_answers(
    world: World, owner_client: HttpClient
) -> None:
    start = _goal_round(world, Point.START, anonymous=True)
    interim = _goal_round(world, Point.INTERIM, anonymous=True)
    for index, number in enumerate([2, 3, 4]):
        post_by_link(start, index, number)
    for index, number in enumerate([6, 8]):
        post_by_link(interim, index, number)
    [first, second] = goal_trends(world.contract)
    assert first.goal.text == "Yhteinen perustehtävä kirkastuu"
    assert [p.mean for p in first.points] == [3.0, None, None]  # interim below k
    assert [p.count for p in first.points] == [3, 0, 0]
    assert first.people == [] and second.people == []
    assert "3,0" in first.description

    page = owner_client.get(reverse("contract_evaluations", args=[world.contract.uuid]))
    html = page.content.decode()
    begins = html.index('<svg class="evaluation-chart goal-chart"')
    svg = etree.fromstring(html[begins : html.index("</svg>", begins) + len("</svg>")].encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img"
    assert svg.findtext("s:title", namespaces=ns) == "Yhteinen perustehtävä kirkastuu"
    assert "Alussa: 3,0; Välissä: –; Lopussa: –" in (svg.findtext("s:desc", namespaces=ns) or "")
    columns = svg.findall("s:g", namespaces=ns)
    assert [column.get("data-mean") for column in columns] == ["3.0", "", ""]
    assert len(svg.findall(".//s:rect", namespaces=ns)) == 1  # the interim below k draws nothing


def test_goal_trend_shows_each_person_in_a_named_round(world: World) -> None:
    start = _goal_round(world, Point.START, anonymous=False)
    final = _goal_round(world, Point.FINAL, anonymous=False)
    post_by_link(start, 0, 3)
    post_by_link(final, 0, 9)
    [first, _second] = goal_trends(world.contract)
    name = member_of(world.contract, 0).person.name
    assert first.people == [(name, [3, None, 9])]
    assert [p.mean for p in first.points] == [None, None, None]  # one answer is below k


def test_a_link_answers_only_its_own_round_once_and_a_second_time_is_refused(
    world: World,
) -> None:
    start = _goal_round(world, Point.START, anonymous=True)
    person = member_of(world.contract, 0).person
    link = AnswerLink.objects.create(round=start, person=person)
    url = reverse("evaluation_by_link", args=[link_token(link)])
    http = HttpClient()
    page = http.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert http.post(url, answer_data(start, 5)).status_code == 302
    second = http.post(url, answer_data(start, 9), follow=True)
    assert second.status_code == 409
    assert "jo vastannut" in second.content.decode() or "already answered" in (
        second.content.decode()
    )
    assert Response.objects.filter(round=start).count() == 1
    assert not Answer.objects.filter(response__round=start, number=9).exists()
    assert Respondent.objects.filter(round=start, person=person).count() == 1
    # Who answered in the portal cannot answer again through her link.
    portal_member = member_of(world.contract, 2)
    answer_as(start, 2, 7)
    portal_link = AnswerLink.objects.create(round=start, person=portal_member.person)
    portal_url = reverse("evaluation_by_link", args=[link_token(portal_link)])
    assert "Olet vastannut tähän arviointiin" in http.get(portal_url).content.decode()
    assert http.post(portal_url, answer_data(start, 1)).status_code == 409
    assert Response.objects.filter(round=start).count() == 2
    # A forged or altered token, or a link of someone who has left, opens nothing.
    assert http.get(reverse("evaluation_by_link", args=[f"{link.uuid}:forged"])).status_code == 404
    assert http.get(url[:-3] + "xx/").status_code == 404
    other = member_of(world.contract, 1)
    other_link = AnswerLink.objects.create(round=start, person=other.person)
    other.left_on = date(2026, 10, 1)
    other.save()
    assert http.get(reverse("evaluation_by_link", args=[link_token(other_link)])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_invitations_and_one_reminder_reach_each_member_with_a_link_of_her_own(
    world: World, smtp_server: SmtpServer
) -> None:
    members = [m.person for m in world.client.current_members()]
    with time_machine.travel(at(2026, 8, 27, 8), tick=False):
        rounds = open_due_rounds(world.contract)
        goal_round = next(r for r in rounds if r.measure == GOAL_ATTAINMENT)
        assert not smtp_server.messages  # nothing is sent before the worker runs
        run_worker()
        messages = smtp_server.wait_for(2 * len(members))
        assert len(messages) == 2 * len(members)
    links: set[str] = set()
    for person in members:
        mine = smtp_server.to(person.email)
        assert len(mine) == 2, person.email
        for message in mine:
            text = body(message)
            found = re.findall(r"https?://\S+/answer/(\S+)/", text)
            assert len(found) == 1, text
            links.add(found[0])
            assert "anonyymi" in text
            # The mail tells no goal: they are asked only on the answer page.
            assert "Vuorovaikutus tiimissä paranee" not in text
    assert len(links) == 2 * len(members)  # one link per person and round

    smtp_server.clear()
    with time_machine.travel(at(2026, 8, 28, 8), tick=False):
        assert post_by_link(goal_round, 0, 6) == 302
    with time_machine.travel(at(2026, 8, 30, 7, 30), tick=False):
        run_worker()  # the reminder is due three days after the invitation
    assert not smtp_server.messages
    with time_machine.travel(at(2026, 8, 30, 10), tick=False):
        run_worker()
        reminders = smtp_server.wait_for(2 * len(members) - 1)
    assert len(reminders) == 2 * len(members) - 1
    first_email = member_of(world.contract, 0).person.email
    assert all("Muistutus" in str(m["Subject"]) for m in reminders)
    goal_title = goal_round.questionnaire.title_fi
    assert not [m for m in smtp_server.to(first_email) if goal_title in str(m["Subject"])]
    with time_machine.travel(at(2026, 9, 10, 10), tick=False):
        run_worker()  # one reminder only
    assert len(smtp_server.messages) == 2 * len(members) - 1
    assert AnswerLink.objects.filter(round=goal_round, reminded_at__isnull=False).count() == 4


def test_a_supervisee_only_goal_never_reaches_the_orderer(world: World) -> None:
    """After goal rounds are opened and answered, no page the orderer contact can open names
    the goal that the supervisees keep to themselves."""
    hidden = "Vuorovaikutus tiimissä paranee"
    assert world.contract.goals.filter(text=hidden, visibility=GoalVisibility.SUPERVISEES)
    with time_machine.travel(at(2026, 9, 2), tick=False):
        for evaluation in open_due_rounds(world.contract):
            for index in range(3):
                post_by_link(evaluation, index, 7, "Avoin vastaus")
    users = persona_users(world)
    orderer = persona_client(users, "orderer")
    own, _foreign = sides(world)
    shown = []
    for name, row in sorted(MATRIX.items()):
        if row.expect.get("orderer") != 200 or row.method != "GET":
            continue
        url = reverse(name, kwargs=row.kwargs(own) if row.kwargs else None)
        content = fetch(orderer, row, url)  # lower-cased
        assert hidden.lower() not in content, name
        if "yhteinen perustehtävä kirkastuu" in content:
            shown.append(name)
    assert shown  # the control: the shared goal does reach the orderer


def test_points_long_past_are_not_opened_late(world: World) -> None:
    """A contract that started long ago gets no baseline now, and no interim once its final
    evaluation is due; nothing a month after the end."""
    with time_machine.travel(at(2026, 10, 5), tick=False):
        open_due_rounds(world.contract)
        assert opened(world) == set()
    with time_machine.travel(at(2027, 6, 20), tick=False):
        open_due_rounds(world.contract)
        assert {point for point, _measure in opened(world)} == {Point.FINAL}
    world.contract.end_date = date(2027, 1, 31)
    world.contract.save()
    EvaluationRound.objects.all().delete()
    with time_machine.travel(at(2027, 3, 5), tick=False):
        open_due_rounds(world.contract)
        assert opened(world) == set()


@pytest.mark.django_db(transaction=True)  # the worker closes a connection inside a transaction
def test_the_hourly_task_opens_due_rounds_in_the_worker_and_queues_its_next_run(
    world: World,
) -> None:
    with time_machine.travel(at(2026, 8, 27, 8), tick=False):
        call_command("open_evaluations", "--schedule")
        assert schedule_opening() is False  # one waiting run is enough
        [waiting] = DBTaskResult.objects.filter(
            task_path=open_due_rounds_hourly.module_path, status=TaskResultStatus.READY
        )
        assert waiting.run_after == at(2026, 8, 27, 9)
    with time_machine.travel(at(2026, 8, 27, 9, 1), tick=False):
        run_worker()
        assert opened(world) >= {(Point.START, "baseline"), (Point.START, GOAL_ATTAINMENT)}
        waiting.refresh_from_db()
        assert waiting.status == TaskResultStatus.SUCCESSFUL
        [following] = DBTaskResult.objects.filter(
            task_path=open_due_rounds_hourly.module_path, status=TaskResultStatus.READY
        )
        assert following.run_after == at(2026, 8, 27, 10, 1)


def test_goal_attainment_without_goals_is_refused_clearly(
    world: World, owner_client: HttpClient
) -> None:
    world.contract.goals.all().delete()
    url = reverse("contract_evaluations", args=[world.contract.uuid])
    response = owner_client.post(
        url, {"measure": GOAL_ATTAINMENT, "anonymous": "on", "k": "3"}, follow=True
    )
    assert response.status_code == 200
    assert "Sopimuksessa ei ole tavoitteita" in response.content.decode()
    assert not EvaluationRound.objects.filter(contract=world.contract).exists()


def test_a_closed_round_takes_no_answer_through_the_link(world: World) -> None:
    evaluation = _goal_round(world, Point.START, anonymous=True)
    close_round(evaluation=evaluation, actor=world.owner)
    person = member_of(world.contract, 0).person
    link = AnswerLink.objects.create(round=evaluation, person=person)
    url = reverse("evaluation_by_link", args=[link_token(link)])
    response = HttpClient().post(url, answer_data(evaluation, 5), follow=True)
    assert "Tämä arviointi on suljettu." in response.content.decode()
    assert not Response.objects.filter(round=evaluation).exists()
    assert not Respondent.objects.filter(round=evaluation).exists()

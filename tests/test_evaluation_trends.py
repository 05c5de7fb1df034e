"""Trends across the process as SVG with table alternatives (session feedback over time, the
baseline against the end), each round counting only from its own k answers; and per-person
answers, only in named rounds."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from lxml import etree

from tests.factories import World, at, make_meeting
from tests.portal_helpers import member_of
from tila.evaluations.actions import measure_questionnaire, open_round, submit_answers
from tila.evaluations.models import EvaluationRound, Item, Point
from tila.evaluations.trends import person_results

SVG = "{http://www.w3.org/2000/svg}"


def _answer(evaluation: EvaluationRound, index: int, number: int, text: str = "") -> None:
    items = Item.objects.filter(section__questionnaire=evaluation.questionnaire)
    values: dict[Item, Any] = {}
    for item in items:
        if item.is_numeric:
            values[item] = number
        elif item.is_text:
            values[item] = text
        else:
            values[item] = [1]
    submit_answers(
        evaluation=evaluation,
        person=member_of(evaluation.contract, index).person,
        actor=None,
        values=values,
    )


def _feedback(world: World, day: int, answers: list[int], k: int = 3) -> EvaluationRound:
    meeting = make_meeting(world.contract, world.owner, at(2026, 12, day))
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "session_feedback"),
        anonymous=True,
        k=k,
        actor=world.owner,
        point=Point.SESSION,
        meeting=meeting,
    )
    for index, number in enumerate(answers):
        _answer(evaluation, index, number)
    return evaluation


def _svg(page: str, css_class: str) -> Any:
    start = page.index(f'<svg class="evaluation-chart {css_class}"')
    return etree.fromstring(page[start : page.index("</svg>", start) + len("</svg>")].encode())


@pytest.fixture
def english(owner_client: HttpClient) -> HttpClient:
    owner_client.cookies["django_language"] = "en"
    return owner_client


def _page(http: HttpClient, world: World) -> str:
    response = http.get(reverse("contract_evaluations", args=[world.contract.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_session_feedback_over_time_is_an_svg_with_a_point_per_round_from_k(
    world: World, english: HttpClient
) -> None:
    _feedback(world, 3, [6, 8, 7])
    _feedback(world, 10, [9, 9])  # k − 1 answers: no point
    _feedback(world, 17, [8, 9, 10, 9])
    _feedback(world, 24, [2, 2, 2], k=4)  # its own k is 4: no point either
    page = _page(english, world)
    svg = _svg(page, "trend-chart")
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Feedback on the meetings over time"
    points = [group for group in svg.iter(f"{SVG}g") if group.get("class") == "point"]
    assert [point.get("data-label") for point in points] == [
        "3.12.2026",
        "10.12.2026",
        "17.12.2026",
        "24.12.2026",
    ]
    assert [point.get("data-mean") for point in points] == ["7.0", "", "9.0", ""]
    assert [len(point.findall(f"{SVG}circle")) for point in points] == [1, 0, 1, 0]
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "value"]
    assert labels == ["3.12.2026", "10.12.2026", "17.12.2026", "24.12.2026"]
    # Higher means are drawn higher, and the line joins the shown points only.
    first, third = (point.find(f"{SVG}circle") for point in (points[0], points[2]))
    assert int(third.get("cy")) < int(first.get("cy"))
    line = svg.find(f"{SVG}polyline")
    assert (
        line.get("points")
        == f"{first.get('cx')},{first.get('cy')} {third.get('cx')},{third.get('cy')}"
    )
    assert desc.text is not None
    assert "3.12.2026: 7,0 from 3 answers" in desc.text
    assert "10.12.2026: fewer than 3 answers, not shown" in desc.text
    assert "24.12.2026: fewer than 4 answers, not shown" in desc.text
    # The table alternative: per question means, and nothing of the rounds below k.
    assert '<th scope="row">3.12.2026</th><td>3</td><td>7,0</td><td>7,0</td>' in page
    assert (
        '<th scope="row">10.12.2026</th><td>2</td><td colspan="5">Shown from 3 answers</td>' in page
    )
    assert "9,0" not in page.split("10.12.2026</th>", 2)[-1].split("</tr>")[0]
    assert "2,0" not in page


def test_no_trend_chart_without_session_feedback(world: World, english: HttpClient) -> None:
    page = _page(english, world)
    assert "trend-chart" not in page and "change-chart" not in page


def _baseline(world: World, point: str, answers: list[int]) -> EvaluationRound:
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "baseline"),
        anonymous=True,
        k=3,
        actor=world.owner,
        point=point,
    )
    for index, number in enumerate(answers):
        _answer(evaluation, index, number)
    return evaluation


def test_baseline_against_the_end_side_by_side_each_from_k(
    world: World, english: HttpClient
) -> None:
    _baseline(world, Point.START, [2, 2, 3])
    final = _baseline(world, Point.FINAL, [4, 5])
    svg = _svg(_page(english, world), "change-chart")
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Where we started and where we ended"
    questions = [group for group in svg.iter(f"{SVG}g") if group.get("class") == "question"]
    assert len(questions) == 7
    assert {group.get("data-start") for group in questions} == {"2.3"}
    assert {group.get("data-end") for group in questions} == {""}
    assert all(group.find(f"{SVG}rect[@class='end']") is None for group in questions)
    assert [text.text for text in questions[0].iter(f"{SVG}text")] == ["2,3", "1"]
    assert "at the start 2,3, at the end –" in desc.text
    assert "I can meet the hard situations of my work calmly." in desc.text

    _answer(final, 2, 3)  # the k-th answer at the end
    page = _page(english, world)
    svg = _svg(page, "change-chart")
    questions = [group for group in svg.iter(f"{SVG}g") if group.get("class") == "question"]
    assert {group.get("data-end") for group in questions} == {"4.0"}
    values = [text.text for text in questions[0].iter(f"{SVG}text")]
    assert values == ["2,3", "4,0", "1"]
    start_bar = questions[0].find(f"{SVG}rect[@class='start']")
    end_bar = questions[0].find(f"{SVG}rect[@class='end']")
    # On a 1–5 scale, 4,0 is drawn 4/2,33 times as tall as 2,33.
    assert abs(int(end_bar.get("height")) / int(start_bar.get("height")) - 4 / (7 / 3)) < 0.05
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "value"]
    assert labels == [str(number) for number in range(1, 8)]
    assert (
        '<th scope="row">1. I can meet the hard situations of my work calmly.</th>'
        "<td>2,3</td><td>4,0</td>"
    ) in page


def test_named_round_shows_a_table_per_person(world: World, english: HttpClient) -> None:
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "session_feedback"),
        anonymous=False,
        k=3,
        actor=world.owner,
    )
    _answer(evaluation, 0, 7, "Hyvä tapaaminen")
    page = english.get(reverse("evaluation_round", args=[evaluation.uuid])).content.decode()
    name = member_of(world.contract, 0).person.name
    assert "Answers by person" in page
    assert f"<caption>{name}</caption>" in page
    assert '<th scope="row">I felt heard.</th><td class="prose">7</td>' in page
    assert "Hyvä tapaaminen" in page
    assert member_of(world.contract, 1).person.name not in page


def test_anonymous_round_has_no_per_person_results(world: World, english: HttpClient) -> None:
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "session_feedback"),
        anonymous=True,
        k=3,
        actor=world.owner,
    )
    for index in range(3):
        _answer(evaluation, index, 6 + index, f"Teksti {index}")
    assert person_results(evaluation, actor=world.owner) == []
    page = english.get(reverse("evaluation_round", args=[evaluation.uuid])).content.decode()
    assert "Answers by person" not in page and "person-answers" not in page
    for index in range(3):
        assert member_of(world.contract, index).person.name not in page

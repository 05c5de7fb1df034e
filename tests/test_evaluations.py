"""Evaluation rounds: answering in the portal, k-anonymous results in every output,
anonymity in the database, one answer per person, the SVG chart and the CSV export."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from lxml import etree

from tests.evaluations_helpers import answer_as, answer_data, feedback_round
from tests.factories import World
from tests.portal_helpers import member_of
from tila.clients.models import Person
from tila.evaluations.actions import editable_version, measure_questionnaire
from tila.evaluations.links import link_token, links_to_send
from tila.evaluations.models import Answer, AnswerLink, Respondent, Response
from tila.keys.sealing import unseal

SVG = "{http://www.w3.org/2000/svg}"
SECRET = "Salainen ajatus tiimistä"


def _results(owner_client: HttpClient, evaluation: object) -> str:
    response = owner_client.get(reverse("evaluation_round", args=[evaluation.uuid]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return response.content.decode()


def test_below_k_nothing_of_the_results_shows_in_any_output(
    world: World, owner_client: HttpClient
) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    answer_as(evaluation, 0, 9, SECRET)
    answer_as(evaluation, 1, 7, "Toinen vastaus")
    assert Response.objects.filter(round=evaluation).count() == 2

    page = _results(owner_client, evaluation)
    assert "2 people have answered" in page or "2 henkilöä on vastannut" in page
    assert "<svg" not in page
    assert SECRET not in page and "Toinen vastaus" not in page
    assert "<table" not in page
    csv_response = owner_client.get(reverse("evaluation_csv", args=[evaluation.uuid]))
    assert csv_response.status_code == 302
    assert SECRET not in csv_response.content.decode()

    # The k-th answer opens the results in every output.
    answer_as(evaluation, 2, 8, "Kolmas")
    page = _results(owner_client, evaluation)
    assert "<svg" in page and SECRET in page and "Kolmas" in page
    exported = owner_client.get(reverse("evaluation_csv", args=[evaluation.uuid]))
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert len(rows) == 4
    assert sorted(row[0] for row in rows[1:]) == ["7", "8", "9"]


def _uuid_forms(value: object) -> set[str]:
    text = str(value)
    return {text, text.replace("-", "")}


@pytest.mark.parametrize("way", ["portal", "link"])
def test_anonymous_round_stores_no_link_from_an_answer_to_a_person(world: World, way: str) -> None:
    """Whether answered in the portal or through the emailed personal link."""
    evaluation = feedback_round(world.contract, world.owner)
    people = [member_of(world.contract, index).person for index in range(3)]
    links = {link.person_id: link for link in links_to_send(evaluation)}
    links_before = list(AnswerLink.objects.order_by("uuid").values())
    for index, number in enumerate([6, 8, 10]):
        if way == "portal":
            answer_as(evaluation, index, number, f"Vapaa teksti {index}")
        else:
            url = reverse("evaluation_by_link", args=[link_token(links[people[index].pk])])
            data = answer_data(evaluation, number, f"Vapaa teksti {index}")
            assert HttpClient().post(url, data).status_code == 302
    assert Respondent.objects.filter(round=evaluation).count() == 3
    assert Response.objects.filter(round=evaluation, person__isnull=False).count() == 0
    # Answering leaves the links as they were: they do not record who answered, nor when.
    assert list(AnswerLink.objects.order_by("uuid").values()) == links_before

    answer_ids: set[str] = set()
    for response in Response.objects.filter(round=evaluation):
        answer_ids |= _uuid_forms(response.pk)
    for answer in Answer.objects.filter(response__round=evaluation):
        answer_ids |= _uuid_forms(answer.pk)
    person_values: set[str] = set()
    for person in people:
        person_values |= _uuid_forms(person.uuid)
        person_values |= _uuid_forms(links[person.pk].uuid)
        person_values.add(link_token(links[person.pk]))
        person_values.add(person.email)
        account = getattr(person, "supervisee_account", None)
        if account is not None:
            person_values |= _uuid_forms(getattr(account.user, "uuid", account.user.email))
    person_tables = {
        Person._meta.db_table,
        get_user_model()._meta.db_table,
        "evaluations_answerlink",
    }

    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in introspection.table_names(cursor):
            relations = introspection.get_relations(cursor, table)
            to_person = [
                column for column, (_, target) in relations.items() if target in person_tables
            ]
            columns = [info.name for info in introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                cells = dict(zip(columns, row, strict=True))
                texts = {str(cell) for cell in row if cell is not None}
                if not texts & answer_ids and not any(
                    answer_id in text for text in texts for answer_id in answer_ids
                ):
                    continue
                # A row that names a response or an answer names no person.
                assert all(cells[column] is None for column in to_person), (table, cells)
                assert not texts & person_values, (table, cells)
                assert not any(value in text for text in texts for value in person_values), (
                    table,
                    cells,
                )

    # Neither responses nor answers carry a time that could be matched with the log.
    for model in (Response, Answer, Respondent):
        kinds = {field.get_internal_type() for field in model._meta.concrete_fields}
        assert not kinds & {"DateTimeField", "DateField", "AutoField", "BigAutoField"}, model


def test_free_text_is_sealed_at_rest(world: World) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    answer_as(evaluation, 0, 5, SECRET)
    answer = Answer.objects.exclude(text="").get(response__round=evaluation)
    assert SECRET not in answer.text
    assert unseal(world.practice, answer.text, context=answer.context) == SECRET


def test_one_answer_per_person_is_enforced_by_the_database(world: World) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    person = member_of(world.contract, 0).person
    Respondent.objects.create(round=evaluation, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Respondent.objects.create(round=evaluation, person=person)


def test_a_second_submission_is_refused_clearly(world: World) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    http = answer_as(evaluation, 0, 4)
    response = http.post(
        reverse("portal_evaluation", args=[evaluation.uuid]),
        {},
        follow=True,
    )
    answer_as(evaluation, 0, 9, http=http)
    assert Response.objects.filter(round=evaluation).count() == 1
    assert Answer.objects.filter(response__round=evaluation, number=9).count() == 0
    messages = [str(message) for message in response.context["messages"]]
    assert any("already answered" in m or "jo vastannut" in m for m in messages)


def test_named_round_keeps_the_person(world: World) -> None:
    evaluation = feedback_round(world.contract, world.owner, anonymous=False)
    answer_as(evaluation, 0, 6)
    response = Response.objects.get(round=evaluation)
    assert response.person == member_of(world.contract, 0).person


def test_chart_is_svg_with_values_labels_title_and_description(
    world: World, owner_client: HttpClient
) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    for index, number in enumerate([6, 8, 8, 10]):
        answer_as(evaluation, index, number)
    page = _results(owner_client, evaluation)
    start = page.index("<svg")
    svg = etree.fromstring(page[start : page.index("</svg>", start) + len("</svg>")].encode())
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text in ("Tulin kuulluksi.", "I felt heard.")
    assert desc.text is not None and "8" in desc.text and "4" in desc.text
    counts = {
        int(group.get("data-value", "")): int(group.get("data-count", ""))
        for group in svg.iter(f"{SVG}g")
    }
    assert counts == {value: {6: 1, 8: 2, 10: 1}.get(value, 0) for value in range(11)}
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "value"]
    assert labels == [str(value) for value in range(11)]
    mean = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "mean-label"]
    assert mean and mean[0] is not None and mean[0].endswith("8,0")
    # The bars are drawn to scale: two answers make the tallest column.
    heights = {
        int(group.get("data-value", "")): int(rect.get("height", "0"))
        for group in svg.iter(f"{SVG}g")
        for rect in group.iter(f"{SVG}rect")
    }
    assert heights[8] == 2 * heights[6] == 2 * heights[10]
    # The data table alternative holds the same numbers.
    assert "<td>8</td><td>2</td>" in page


def test_csv_neutralises_formulas(world: World, owner_client: HttpClient) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    answer_as(evaluation, 0, 5, '=HYPERLINK("http://evil.test","x")')
    answer_as(evaluation, 1, 5, "+1+1")
    answer_as(evaluation, 2, 5, "@SUM(A1)")
    exported = owner_client.get(reverse("evaluation_csv", args=[evaluation.uuid]))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    texts = sorted(row[-1] for row in rows[1:])
    assert texts == ["'+1+1", '\'=HYPERLINK("http://evil.test","x")', "'@SUM(A1)"]


def test_changing_an_answered_questionnaire_makes_a_new_version(world: World) -> None:
    questionnaire = measure_questionnaire(world.practice, "session_feedback")
    assert editable_version(questionnaire) == questionnaire
    evaluation = feedback_round(world.contract, world.owner)
    answer_as(evaluation, 0, 5)
    newer = editable_version(questionnaire)
    assert newer.pk != questionnaire.pk
    assert (newer.family, newer.version) == (questionnaire.family, 2)
    assert [i.text_fi for s in newer.sections.all() for i in s.items.all()] == [
        i.text_fi for s in questionnaire.sections.all() for i in s.items.all()
    ]
    # Asked again before the new version is answered, the same new version is given.
    assert editable_version(questionnaire) == newer
    assert measure_questionnaire(world.practice, "session_feedback") == newer


def test_other_supervisors_and_other_groups_get_404(
    world: World, colleague_client: HttpClient, assistant_client: HttpClient
) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    for http in (colleague_client, assistant_client):
        assert http.get(reverse("evaluation_round", args=[evaluation.uuid])).status_code == 404
        assert http.get(reverse("evaluation_csv", args=[evaluation.uuid])).status_code == 404
    outsider = world.other_client.members.first()
    assert outsider is not None
    from tests.portal_helpers import log_in_as

    http = log_in_as(outsider, world.other_owner)
    url = reverse("portal_evaluation", args=[evaluation.uuid])
    assert http.get(url).status_code == 404
    assert http.post(url, {}).status_code == 404
    assert not Respondent.objects.filter(round=evaluation).exists()

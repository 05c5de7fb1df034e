"""The supervisor's own questionnaires: building, copying Tila's measures, versions once
answered, bad input, and choosing her questionnaire when opening an evaluation."""

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World
from tests.portal_helpers import member_of
from tila.evaluations.actions import copy_measure, open_round, save_questionnaire, submit_answers
from tila.evaluations.measures import SESSION_FEEDBACK
from tila.evaluations.models import EvaluationRound, Item, ItemKind, Questionnaire

FIELDS = (
    "section_fi",
    "section_en",
    "kind",
    "text_fi",
    "text_en",
    "low_fi",
    "low_en",
    "high_fi",
    "high_en",
    "choices_fi",
    "choices_en",
)


def builder_data(rows: list[dict[str, Any]], **basics: str) -> dict[str, Any]:
    """A POST body of the builder: the titles and one form row per question."""
    data: dict[str, Any] = {
        "title_fi": "Oma kysely",
        "title_en": "My questionnaire",
        "intro_fi": "",
        "intro_en": "",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "save": "1",
        **basics,
    }
    for index, row in enumerate(rows):
        for name in FIELDS:
            data[f"items-{index}-{name}"] = row.get(name, "scale10" if name == "kind" else "")
        if row.get("required", True):
            data[f"items-{index}-required"] = "on"
        if row.get("DELETE"):
            data[f"items-{index}-DELETE"] = "on"
    return data


ROWS: list[dict[str, Any]] = [
    {
        "section_fi": "Tapaaminen",
        "section_en": "The meeting",
        "kind": "scale10",
        "text_fi": "Kuinka hyödyllinen tapaaminen oli?",
        "text_en": "How useful was the meeting?",
        "low_fi": "Ei lainkaan",
        "low_en": "Not at all",
        "high_fi": "Erittäin",
        "high_en": "Very",
    },
    {"kind": "agree5", "text_fi": "Ilmapiiri oli avoin.", "text_en": "The air was open."},
    {
        "section_fi": "Valinnat",
        "kind": "single",
        "text_fi": "Mikä menetelmä toimi?",
        "choices_fi": "Keskustelu\nKortit\n\nJana",
        "choices_en": "Talk\nCards\nLine",
    },
    {
        "kind": "multiple",
        "text_fi": "Mistä haluat puhua?",
        "choices_fi": "Työmäärä\nTiimi",
        "required": False,
    },
    {"kind": "short", "text_fi": "Yksi sana tapaamisesta", "required": False},
    {"kind": "long", "text_fi": "Mitä muuta?", "text_en": "What else?", "required": False},
    {},  # an empty row is skipped
]


def _questions(questionnaire: Questionnaire) -> list[tuple[int, int, str, str]]:
    return [
        (item.section.position, item.position, item.kind, item.text_fi)
        for item in Item.objects.filter(section__questionnaire=questionnaire)
        .select_related("section")
        .order_by("section__position", "position")
    ]


def test_a_supervisor_builds_her_own_questionnaire(world: World, owner_client: HttpClient) -> None:
    response = owner_client.post(reverse("new_questionnaire"), builder_data(ROWS))
    assert response.status_code == 302
    made = Questionnaire.objects.get(practice=world.practice, measure="", title_fi="Oma kysely")
    assert response["Location"] == reverse("edit_questionnaire", args=[made.uuid])
    assert (made.title_en, made.version, made.contract) == ("My questionnaire", 1, None)
    assert _questions(made) == [
        (1, 1, "scale10", "Kuinka hyödyllinen tapaaminen oli?"),
        (1, 2, "agree5", "Ilmapiiri oli avoin."),
        (2, 1, "single", "Mikä menetelmä toimi?"),
        (2, 2, "multiple", "Mistä haluat puhua?"),
        (2, 3, "short", "Yksi sana tapaamisesta"),
        (2, 4, "long", "Mitä muuta?"),
    ]
    sections = list(made.sections.order_by("position").values_list("title_fi", "title_en"))
    assert sections == [("Tapaaminen", "The meeting"), ("Valinnat", "")]
    scale = Item.objects.get(section__questionnaire=made, kind=ItemKind.SCALE_10)
    assert (scale.low_label_fi, scale.high_label_en, scale.text_en) == (
        "Ei lainkaan",
        "Very",
        "How useful was the meeting?",
    )
    single = Item.objects.get(section__questionnaire=made, kind=ItemKind.SINGLE)
    assert single.choices == [
        {"fi": "Keskustelu", "en": "Talk"},
        {"fi": "Kortit", "en": "Cards"},
        {"fi": "Jana", "en": "Line"},
    ]
    assert single.required is True
    multiple = Item.objects.get(section__questionnaire=made, kind=ItemKind.MULTIPLE)
    assert multiple.choices == [{"fi": "Työmäärä", "en": ""}, {"fi": "Tiimi", "en": ""}]
    assert multiple.required is False
    # The page lists it, and the edit page shows its questions to change.
    listing = owner_client.get(reverse("questionnaires")).content.decode()
    assert "Oma kysely" in listing
    page = owner_client.get(reverse("edit_questionnaire", args=[made.uuid])).content.decode()
    assert "Mikä menetelmä toimi?" in page and "Keskustelu\nKortit\nJana" in page


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([{}], None, "Add at least one question."),
        (
            [{"kind": "single", "text_fi": "Kumpi?", "choices_fi": ""}],
            "choices_fi",
            "Give at least two choices, one per line.",
        ),
        (
            [{"kind": "multiple", "text_fi": "Mitkä?", "choices_fi": "Vain yksi"}],
            "choices_fi",
            "Give at least two choices, one per line.",
        ),
        (
            [{"kind": "scale10", "text_fi": "Kuinka?", "low_fi": "x" * 101}],
            "low_fi",
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        (
            [{"kind": "single", "text_fi": "Kumpi?", "choices_fi": "A\nB", "choices_en": "A"}],
            "choices_en",
            "Give the English choices in the same number and order.",
        ),
        (
            [{"kind": "scale10", "text_en": "Only English"}],
            "text_fi",
            "Write the question in Finnish.",
        ),
    ],
)
def test_bad_input_re_renders_with_a_message_and_saves_nothing(
    world: World,
    owner_client: HttpClient,
    rows: list[dict[str, Any]],
    field: str | None,
    message: str,
) -> None:
    before = Questionnaire.objects.count()
    owner_client.cookies["django_language"] = "en"
    response = owner_client.post(
        reverse("new_questionnaire"), builder_data(rows), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Questionnaire.objects.count() == before
    if field is not None:
        assert f'id="id_items-0-{field}_error"' in response.content.decode()


def test_a_missing_title_is_refused(world: World, owner_client: HttpClient) -> None:
    before = Questionnaire.objects.count()
    response = owner_client.post(reverse("new_questionnaire"), builder_data(ROWS, title_fi=""))
    assert response.status_code == 200
    assert 'id="id_title_fi_error"' in response.content.decode()
    assert Questionnaire.objects.count() == before


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(
    world: World, owner_client: HttpClient
) -> None:
    data = builder_data(ROWS[:2])
    del data["save"]
    data["add"] = "1"
    response = owner_client.post(reverse("new_questionnaire"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Questionnaire.objects.filter(practice=world.practice, measure="").count() == 0
    assert 'name="items-TOTAL_FORMS" value="3"' in page
    assert "Kuinka hyödyllinen tapaaminen oli?" in page and 'value="Oma kysely"' in page
    assert 'class="error"' not in page and "form-errors" not in page


def _answer(evaluation: EvaluationRound, index: int, number: int) -> None:
    items = Item.objects.filter(section__questionnaire=evaluation.questionnaire)
    submit_answers(
        evaluation=evaluation,
        person=member_of(evaluation.contract, index).person,
        actor=None,
        values={item: number if item.is_numeric else [0] for item in items},
    )


def test_editing_a_questionnaire_with_answers_makes_a_new_version(
    world: World, owner_client: HttpClient
) -> None:
    first = save_questionnaire(
        world.practice,
        {"title_fi": "Kysely", "sections": [{"items": [{"kind": "scale10", "fi": "Vanha"}]}]},
        actor=world.owner,
    )
    # Without answers a change goes into the same version.
    response = owner_client.post(
        reverse("edit_questionnaire", args=[first.uuid]),
        builder_data([{"text_fi": "Uudempi"}], title_fi="Kysely"),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.version == 1 and _questions(first) == [(1, 1, "scale10", "Uudempi")]

    evaluation = open_round(
        contract=world.contract, questionnaire=first, anonymous=True, k=3, actor=world.owner
    )
    _answer(evaluation, 0, 6)
    page = owner_client.get(reverse("edit_questionnaire", args=[first.uuid])).content.decode()
    assert "Saving makes a new version" in page or "Tallentaminen tekee uuden version" in page
    response = owner_client.post(
        reverse("edit_questionnaire", args=[first.uuid]),
        builder_data([{"text_fi": "Uusin"}, {"kind": "long", "text_fi": "Lisää?"}]),
    )
    second = Questionnaire.objects.get(family=first.family, version=2)
    assert response["Location"] == reverse("edit_questionnaire", args=[second.uuid])
    assert _questions(second) == [(1, 1, "scale10", "Uusin"), (1, 2, "long", "Lisää?")]
    # The answered version and its round keep their question.
    assert _questions(first) == [(1, 1, "scale10", "Uudempi")]
    evaluation.refresh_from_db()
    assert evaluation.questionnaire_id == first.pk
    # Opening the old version's page edits the newest one; the list shows the newest.
    page = owner_client.get(reverse("edit_questionnaire", args=[first.uuid])).content.decode()
    assert "Uusin" in page
    assert "1 (1 arvioinnissa) · 2 (0 arvioinnissa)" in page
    listing = owner_client.get(reverse("questionnaires")).content.decode()
    assert reverse("edit_questionnaire", args=[second.uuid]) in listing
    assert reverse("edit_questionnaire", args=[first.uuid]) not in listing


def test_copying_a_measure_gives_the_practice_its_own_to_adapt(
    world: World, owner_client: HttpClient
) -> None:
    response = owner_client.post(reverse("copy_measure", args=["session_feedback"]))
    copied = Questionnaire.objects.get(practice=world.practice, measure="")
    assert response["Location"] == reverse("edit_questionnaire", args=[copied.uuid])
    assert copied.title_fi == "Palaute tapaamisesta (oma muokkaus)"
    assert [text for *_, text in _questions(copied)] == [
        item["fi"] for item in SESSION_FEEDBACK["sections"][0]["items"]
    ]
    assert owner_client.post(reverse("copy_measure", args=["no_such"])).status_code == 404


def test_her_questionnaire_can_be_chosen_when_opening_an_evaluation(
    world: World, owner_client: HttpClient
) -> None:
    own = copy_measure(world.practice, "baseline", actor=world.owner)
    foreign = copy_measure(world.other_practice, "interim", actor=world.other_owner)
    url = reverse("contract_evaluations", args=[world.contract.uuid])
    page = owner_client.get(url).content.decode()
    assert f'value="own-{own.uuid}"' in page
    assert f'value="own-{foreign.uuid}"' not in page
    response = owner_client.post(url, {"measure": f"own-{foreign.uuid}", "anonymous": "on", "k": 3})
    assert response.status_code == 200
    assert not EvaluationRound.objects.filter(questionnaire=foreign).exists()
    response = owner_client.post(url, {"measure": f"own-{own.uuid}", "anonymous": "on", "k": 3})
    opened = EvaluationRound.objects.get(contract=world.contract)
    assert response["Location"] == reverse("evaluation_round", args=[opened.uuid])
    assert opened.questionnaire == own


def test_another_practices_questionnaire_is_not_found(
    world: World,
    owner_client: HttpClient,
    assistant_client: HttpClient,
    colleague_client: HttpClient,
) -> None:
    foreign = copy_measure(world.other_practice, "interim", actor=world.other_owner)
    url = reverse("edit_questionnaire", args=[foreign.uuid])
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(url, builder_data(ROWS)).status_code == 404
    assert _questions(foreign)[0][3] == "Yhteistyö työnohjaajan kanssa toimii."
    own = copy_measure(world.practice, "interim", actor=world.owner)
    mine = reverse("edit_questionnaire", args=[own.uuid])
    assert assistant_client.get(mine).status_code == 404
    assert colleague_client.get(mine).status_code == 200
    # Tila's built-in measures are not hers to edit in place.
    builtin = Questionnaire.objects.create(practice=world.practice, measure="interim", title_fi="x")
    assert owner_client.get(reverse("edit_questionnaire", args=[builtin.uuid])).status_code == 404


def test_a_tampered_form_is_refused_without_an_error_page(
    world: World, owner_client: HttpClient
) -> None:
    before = Questionnaire.objects.count()
    for data in (
        {"title_fi": "Ilman rivejä"},
        {"title_fi": "Ilman rivejä", "add": "1"},
        {**builder_data(ROWS), "items-0-kind": "no-such-kind"},
    ):
        response = owner_client.post(reverse("new_questionnaire"), data)
        assert response.status_code == 200
    assert Questionnaire.objects.count() == before


def test_the_preview_shows_the_questionnaire_as_those_answering_see_it(
    world: World, owner_client: HttpClient, other_client: HttpClient
) -> None:
    owner_client.post(reverse("new_questionnaire"), builder_data(ROWS))
    made = Questionnaire.objects.get(practice=world.practice, measure="")
    url = reverse("preview_questionnaire", args=[made.uuid])
    page = owner_client.get(url).content.decode()
    for text in ("Kuinka hyödyllinen tapaaminen oli?", "Keskustelu", "Jana", "Tapaaminen"):
        assert text in page
    assert "0 = Ei lainkaan – 10 = Erittäin" in page
    assert "Lähetä vastaukseni" not in page and "Send my answer" not in page
    assert "disabled" in page
    assert other_client.get(url).status_code == 404

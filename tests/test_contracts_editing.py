"""Making and editing contracts through the form, and versions after an acceptance."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from tests.factories import make_contact, make_organisation
from tila.contracts.models import (
    DEFAULT_CONFIDENTIALITY,
    Acceptance,
    Contract,
    ContractEvent,
    ContractVersion,
    EventKind,
    Goal,
    GoalVisibility,
    PriceLine,
    Status,
)
from tila.practices.models import VatTreatment


@pytest.fixture(autouse=True)
def _english(settings):
    # Assert on the English msgids, whatever the Finnish catalogue holds.
    settings.LANGUAGE_CODE = "en"


def form_data(response) -> dict[str, Any]:
    """What a browser would post back from the contract form as it was rendered."""
    data: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if value is None or value is False:
            return
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v.pk if isinstance(v, Model) else v) for v in value]
        else:
            data[name] = str(value.pk if isinstance(value, Model) else value)

    context = response.context
    for field in context["form"]:
        put(field.html_name, field.value())
    for formset in (context["goals"], context["prices"]):
        for field in formset.management_form:
            put(field.html_name, field.value())
        for form in formset.forms:
            for field in form:
                put(field.html_name, field.value())
    return data


def new_contract_data(owner_client, world, **changes: Any) -> dict[str, Any]:
    response = owner_client.get(
        reverse("new_contract"), {"client": world.client.uuid, "service": world.service.uuid}
    )
    data = form_data(response)
    data.update(
        {
            "start_date": "2027-01-12",
            "end_date": "2027-08-31",
            "orderer_contact": str(world.contact.pk),
            "place": "Päiväkoti Kuusela, lepohuone",
            "methods": "Dialogiset ja toiminnalliset menetelmät",
            "goals-0-text": "Perustehtävä kirkastuu",
            "goals-0-visibility": GoalVisibility.SHARED,
            "goals-1-text": "Rohkeus puhua vaikeista asioista kasvaa",
            "goals-1-visibility": GoalVisibility.SUPERVISEES,
        }
    )
    data.update(changes)
    return data


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Contract, Goal, PriceLine, ContractVersion, ContractEvent)
    )


def test_new_contract_form_starts_from_client_service_and_defaults(owner_client, world):
    response = owner_client.get(
        reverse("new_contract"), {"client": world.client.uuid, "service": world.service.uuid}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form["client"].value() == world.client.pk
    assert form["organisation"].value() == world.organisation.pk
    assert form["service"].value() == world.service.pk
    assert form["form"].value() == "team"
    assert form["meeting_minutes"].value() == 90
    assert form["title"].value() == "Tiimityönohjaus 90 min: Päiväkoti Kuusela, Oravat"
    assert form["meeting_count"].value() == 10
    assert form["rhythm_weeks"].value() == 3
    assert form["cancellation_notice_hours"].value() == 24
    assert form["late_cancellation_percent"].value() == 100
    assert form["confidentiality"].value() == DEFAULT_CONFIDENTIALITY
    assert form["supervisors"].value() == [world.owner.pk]
    price = response.context["prices"].forms[0]
    assert price["unit_price"].value() == Decimal("240.00")
    assert price["vat_treatment"].value() == VatTreatment.STANDARD
    content = response.content.decode()
    for heading in [
        "Parties",
        "Duration and meetings",
        "Place",
        "Goals",
        "Evaluation and methods",
        "Price and payment",
        "Cancellations",
        "The orderer and confidentiality",
        "Interruption and dissatisfaction",
    ]:
        assert f"<legend>{heading}</legend>" in content
    assert 'data-add-row="goals"' in content and 'id="goals-empty"' in content
    assert 'data-add-row="prices"' in content and 'id="prices-rows"' in content


def test_supervisor_creates_a_contract_with_two_goals_and_ten_meetings_every_three_weeks(
    owner_client, world
):
    response = owner_client.post(reverse("new_contract"), new_contract_data(owner_client, world))

    contract = Contract.objects.get(title="Tiimityönohjaus 90 min: Päiväkoti Kuusela, Oravat")
    assert response.status_code == 302
    assert response.url == reverse("contract", args=[contract.uuid])
    assert contract.practice == world.practice
    assert contract.client == world.client
    assert contract.organisation == world.organisation
    assert contract.orderer_contact == world.contact
    assert contract.service == world.service
    assert list(contract.supervisors.all()) == [world.owner]
    assert (contract.meeting_count, contract.rhythm_weeks, contract.meeting_minutes) == (10, 3, 90)
    assert (contract.start_date, contract.end_date) == (date(2027, 1, 12), date(2027, 8, 31))
    assert contract.status == Status.DRAFT
    assert contract.version == 1
    assert [(g.text, g.visibility, g.position) for g in contract.goals.all()] == [
        ("Perustehtävä kirkastuu", GoalVisibility.SHARED, 0),
        ("Rohkeus puhua vaikeista asioista kasvaa", GoalVisibility.SUPERVISEES, 1),
    ]
    line = contract.price_lines.get()
    assert (line.description, line.unit_price, line.vat_treatment) == (
        "Tiimityönohjaus 90 min",
        Decimal("240.00"),
        VatTreatment.STANDARD,
    )
    snapshot = contract.versions.get(number=1)
    assert [g["text"] for g in snapshot.terms["goals"]] == [g.text for g in contract.goals.all()]
    assert snapshot.created_by == world.owner
    assert list(contract.events.values_list("kind", flat=True)) == [EventKind.CREATED]

    page = owner_client.get(response.url)
    assert "The contract was saved as version 1." in page.content.decode()


def test_contract_can_start_as_a_trial_but_not_as_active(owner_client, world):
    owner_client.post(
        reverse("new_contract"), new_contract_data(owner_client, world, status="trial")
    )
    response = owner_client.post(
        reverse("new_contract"),
        new_contract_data(owner_client, world, status="active", title="Aktiivinen"),
    )

    assert Contract.objects.get(title__startswith="Tiimityönohjaus 90 min").status == Status.TRIAL
    assert response.status_code == 200
    assert not Contract.objects.filter(title="Aktiivinen").exists()


def test_contract_without_goals_or_price_lines_is_fine(owner_client, world):
    data = new_contract_data(
        owner_client,
        world,
        **{"goals-0-text": "", "goals-0-visibility": "supervisees", "goals-1-text": ""},
    )
    data.update(
        {"prices-0-description": "", "prices-0-unit_price": "", "prices-0-vat_treatment": ""}
    )

    response = owner_client.post(reverse("new_contract"), data)

    assert response.status_code == 302
    contract = Contract.objects.get(title__startswith="Tiimityönohjaus 90 min")
    assert not contract.goals.exists()
    assert not contract.price_lines.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_date": "2027-01-11"},
            "end_date",
            "The end date must be on or after the start date.",
        ),
        ({"title": "x" * 10_000}, "title", "Ensure this value has at most 200 characters"),
        ({"prices-0-unit_price": "-1.00"}, None, "greater than or equal to 0"),
        ({"goals-1-text": "x" * 1001}, None, "at most 1000 characters"),
        ({"meeting_count": "0"}, "meeting_count", "greater than or equal to 1"),
        ({"start_date": "31.2.2027"}, "start_date", "Enter a valid date."),
    ],
)
def test_bad_input_rerenders_with_errors_and_saves_nothing(
    owner_client, world, changes, field, message
):
    data = new_contract_data(owner_client, world, **changes)
    before = counts()

    response = owner_client.post(reverse("new_contract"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Please correct the errors below. Nothing was saved." in content
    if field:
        assert response.context["form"].has_error(field)
    assert counts() == before


def test_contact_of_another_organisation_is_refused(owner_client, world):
    other_org = make_organisation(world.practice, "Pirkanmaan hyvinvointialue")
    stranger = make_contact(other_org)
    data = new_contract_data(owner_client, world, orderer_contact=str(stranger.pk))
    before = counts()

    response = owner_client.post(reverse("new_contract"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["orderer_contact"] == [
        "This contact person does not belong to the chosen orderer."
    ]
    assert counts() == before


def test_contact_without_an_orderer_is_refused(owner_client, world):
    data = new_contract_data(owner_client, world, organisation="")

    response = owner_client.post(reverse("new_contract"), data)

    assert response.context["form"].has_error("orderer_contact")


@pytest.mark.parametrize("field", ["client", "service", "organisation", "orderer_contact"])
def test_another_practices_objects_cannot_be_chosen(owner_client, world, field):
    other = {
        "client": world.other_client,
        "service": world.other_service,
        "organisation": world.other_organisation,
        "orderer_contact": world.other_contact,
    }[field]
    before = counts()

    response = owner_client.post(
        reverse("new_contract"), new_contract_data(owner_client, world, **{field: str(other.pk)})
    )

    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert counts() == before


@pytest.mark.parametrize("param", ["client", "service"])
def test_prefill_with_another_practices_or_a_malformed_uuid_is_404(owner_client, world, param):
    other = {"client": world.other_client, "service": world.other_service}[param]

    assert owner_client.get(reverse("new_contract"), {param: other.uuid}).status_code == 404
    assert owner_client.get(reverse("new_contract"), {param: "not-a-uuid"}).status_code == 404


def test_supervisors_are_chosen_only_among_the_practices_supervisors(owner_client, world):
    assistant = owner_client.post(
        reverse("new_contract"),
        new_contract_data(owner_client, world, supervisors=[str(world.assistant.pk)]),
    )
    bertta = owner_client.post(
        reverse("new_contract"),
        new_contract_data(owner_client, world, supervisors=[str(world.other_owner.pk)]),
    )
    both = owner_client.post(
        reverse("new_contract"),
        new_contract_data(
            owner_client, world, supervisors=[str(world.owner.pk), str(world.colleague.pk)]
        ),
    )

    assert assistant.context["form"].has_error("supervisors")
    assert bertta.context["form"].has_error("supervisors")
    assert both.status_code == 302
    contract = Contract.objects.get(title__startswith="Tiimityönohjaus 90 min")
    assert set(contract.supervisors.all()) == {world.owner, world.colleague}


def test_a_supervisor_role_member_must_include_herself(colleague_client, world):
    response = colleague_client.get(reverse("new_contract"), {"client": world.client.uuid})
    data = form_data(response)
    data.update(start_date="2027-01-01", form="team", supervisors=[str(world.owner.pk)])

    refused = colleague_client.post(reverse("new_contract"), data)
    data["supervisors"] = [str(world.colleague.pk)]
    accepted = colleague_client.post(reverse("new_contract"), data)

    assert refused.context["form"].errors["supervisors"] == [
        "Include yourself: you see only the contracts that you supervise."
    ]
    assert accepted.status_code == 302
    assert colleague_client.get(accepted.url).status_code == 200


def edit_data(client, contract: Contract, **changes: Any) -> dict[str, Any]:
    data = form_data(client.get(reverse("edit_contract", args=[contract.uuid])))
    data.update(changes)
    return data


def create(owner_client, world) -> Contract:
    owner_client.post(reverse("new_contract"), new_contract_data(owner_client, world))
    return Contract.objects.get(title__startswith="Tiimityönohjaus 90 min")


def accept(client, contract: Contract, party: str = "orderer", at: str = "2026-11-20T10:00"):
    return client.post(
        reverse("accept_contract", args=[contract.uuid]),
        {
            "version": contract.version,
            "party": party,
            "accepted_by_name": "Kaisa Esimies",
            "accepted_at": at,
        },
    )


def test_editing_an_unaccepted_contract_updates_version_one_in_place(owner_client, world):
    contract = create(owner_client, world)

    response = owner_client.post(
        reverse("edit_contract", args=[contract.uuid]),
        edit_data(owner_client, contract, meeting_count="12", place="Kirjasto"),
    )

    contract.refresh_from_db()
    assert response.status_code == 302
    assert (contract.version, contract.meeting_count, contract.place) == (1, 12, "Kirjasto")
    snapshot = contract.versions.get()
    duration = snapshot.terms["sections"][0]["fields"]
    assert {f["name"]: f["value"] for f in duration}["meeting_count"] == 12
    assert EventKind.EDITED in contract.events.values_list("kind", flat=True)
    assert "The contract was saved." in owner_client.get(response.url).content.decode()


def test_accepting_then_editing_makes_version_two_and_version_one_stays_readable(
    owner_client, world
):
    contract = create(owner_client, world)
    accept(owner_client, contract)
    data = edit_data(
        owner_client,
        contract,
        meeting_count="12",
        **{"goals-0-text": "Perustehtävä on kaikille selvä"},
    )

    response = owner_client.post(reverse("edit_contract", args=[contract.uuid]), data)

    contract.refresh_from_db()
    assert contract.version == 2
    assert contract.meeting_count == 12
    assert list(contract.acceptances.values_list("version", "party")) == [(1, "orderer")]
    assert set(contract.versions.values_list("number", flat=True)) == {1, 2}
    assert [e.kind for e in contract.events.all()][:1] == [EventKind.NEW_VERSION]
    page = owner_client.get(response.url).content.decode()
    assert "The changes made version 2." in page
    assert "Acceptance of version 2" in page
    assert "Not accepted yet" in page

    old = owner_client.get(reverse("contract_version", args=[contract.uuid, 1]))
    old_content = old.content.decode()
    assert old.status_code == 200
    assert "Perustehtävä kirkastuu" in old_content
    assert "Perustehtävä on kaikille selvä" not in old_content
    assert "This is an earlier version. The current version is 2." in old_content
    assert "Accepted by Kaisa Esimies" in old_content
    current = owner_client.get(reverse("contract_print", args=[contract.uuid])).content.decode()
    assert "Perustehtävä on kaikille selvä" in current
    assert "Accepted by Kaisa Esimies" not in current
    assert owner_client.get(reverse("contract_version", args=[contract.uuid, 2])).status_code == 200
    assert owner_client.get(reverse("contract_version", args=[contract.uuid, 3])).status_code == 404
    assert owner_client.get(reverse("contract_version", args=[contract.uuid, 0])).status_code == 404


def test_a_contract_made_before_snapshots_keeps_its_accepted_terms(owner_client, world):
    contract = world.contract  # made by the factories: no snapshot yet
    accept(owner_client, contract, party="supervisees")

    owner_client.post(
        reverse("edit_contract", args=[contract.uuid]),
        edit_data(owner_client, contract, meeting_count="20"),
    )

    contract.refresh_from_db()
    assert contract.version == 2
    old = owner_client.get(reverse("contract_version", args=[contract.uuid, 1])).content.decode()
    assert '<dt>Number of meetings</dt><dd class="prose">10</dd>' in old


def test_saving_without_changes_keeps_the_version(owner_client, world):
    contract = create(owner_client, world)
    accept(owner_client, contract)

    response = owner_client.post(
        reverse("edit_contract", args=[contract.uuid]), edit_data(owner_client, contract)
    )

    contract.refresh_from_db()
    assert contract.version == 1
    assert "Nothing in the terms changed." in owner_client.get(response.url).content.decode()


def test_edit_warns_that_an_accepted_version_gets_a_new_version(owner_client, world):
    contract = create(owner_client, world)
    accept(owner_client, contract)

    response = owner_client.get(reverse("edit_contract", args=[contract.uuid]))

    assert "Version 1 has already been accepted." in response.content.decode()
    assert "status" not in response.context["form"].fields


def test_edit_removes_a_goal_and_adds_a_price_line(owner_client, world):
    contract = create(owner_client, world)
    kept_goal = contract.goals.get(position=1)
    data = edit_data(
        owner_client,
        contract,
        **{
            "goals-0-DELETE": "on",
            "prices-1-description": "Matkakulut",
            "prices-1-unit": "km",
            "prices-1-unit_price": "0.59",
            "prices-1-vat_treatment": "standard",
            "prices-1-is_travel": "on",
        },
    )

    owner_client.post(reverse("edit_contract", args=[contract.uuid]), data)

    assert list(contract.goals.all()) == [kept_goal]
    assert [(p.description, p.is_travel) for p in contract.price_lines.all()] == [
        ("Tiimityönohjaus 90 min", False),
        ("Matkakulut", True),
    ]


def test_bad_edit_saves_nothing(owner_client, world):
    contract = create(owner_client, world)
    data = edit_data(
        owner_client,
        contract,
        end_date="2026-01-01",
        **{"goals-0-text": "Muutettu tavoite", "prices-0-unit_price": "-5"},
    )

    response = owner_client.post(reverse("edit_contract", args=[contract.uuid]), data)

    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 8, 31)
    assert contract.goals.filter(text="Muutettu tavoite").count() == 0
    assert contract.price_lines.get().unit_price == Decimal("240.00")


def test_goal_of_another_contract_cannot_be_edited_through_the_formset(owner_client, world):
    contract = create(owner_client, world)
    foreign = world.contract.goals.first()
    data = edit_data(owner_client, contract, **{"goals-0-id": str(foreign.pk)})

    owner_client.post(reverse("edit_contract", args=[contract.uuid]), data)

    foreign.refresh_from_db()
    assert foreign.text == "Yhteinen perustehtävä kirkastuu"
    assert foreign.contract == world.contract


def test_an_ended_contract_cannot_be_edited(owner_client, world):
    Contract.objects.filter(pk=world.contract.pk).update(status=Status.ENDED)

    response = owner_client.get(reverse("edit_contract", args=[world.contract.uuid]))

    assert response.status_code == 302
    page = owner_client.get(response.url).content.decode()
    assert "An ended contract can no longer be changed." in page


def test_acceptance_rows_stay_with_their_version(owner_client, world):
    contract = create(owner_client, world)
    accept(owner_client, contract, party="supervisor")
    owner_client.post(
        reverse("edit_contract", args=[contract.uuid]),
        edit_data(owner_client, contract, rhythm_weeks="4"),
    )
    contract.refresh_from_db()

    accept(owner_client, contract, party="supervisor")

    assert list(Acceptance.objects.filter(contract=contract).values_list("version", "party")) == [
        (1, "supervisor"),
        (2, "supervisor"),
    ]


def test_start_from_form_sends_the_uuids_that_the_new_page_reads(owner_client, world):
    response = owner_client.get(
        reverse("new_contract"), {"client": world.client.uuid, "service": world.service.uuid}
    )

    content = response.content.decode()
    assert f'<option value="{world.client.uuid}" selected>' in content
    assert f'<option value="{world.service.uuid}" selected>' in content
    assert f'value="{world.other_client.uuid}"' not in content

"""The contract page: parties, terms, goals, meetings, acceptances, status and history."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import at, make_meeting
from tila.contracts.models import (
    Acceptance,
    Contract,
    ContractEvent,
    EventKind,
    Goal,
    GoalVisibility,
    Status,
)
from tila.contracts.templatetags.contract_tags import describe_event
from tila.meetings.models import MeetingStatus


@pytest.fixture(autouse=True)
def _english(settings):
    # Assert on the English msgids, whatever the Finnish catalogue holds.
    settings.LANGUAGE_CODE = "en"


def page(client, contract: Contract):
    return client.get(reverse("contract", args=[contract.uuid]))


def accept(client, contract: Contract, **changes):
    data = {
        "version": contract.version,
        "party": "orderer",
        "accepted_by_name": "Kaisa Esimies",
        "accepted_at": "2026-11-20T10:00",
        **changes,
    }
    return client.post(reverse("accept_contract", args=[contract.uuid]), data)


def set_status(client, contract: Contract, status: str):
    return client.post(reverse("change_contract_status", args=[contract.uuid]), {"status": status})


def test_page_shows_parties_terms_goals_with_markers_and_prices(owner_client, world):
    response = page(owner_client, world.contract)

    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "Päiväkoti Kuusela, Oravat",
        "Tampereen kaupunki",
        "Kaisa Esimies",
        "Anna Aalto",
        "Team supervision",
        "1. Duration and number of meetings",
        "10. If a party is dissatisfied",
        '<dt>Rhythm (weeks between meetings)</dt><dd class="prose">every 3 weeks</dd>',
        "240,00\xa0€",
        "VAT at the general rate",
        "Luottamuksellista.",
    ]:
        assert text in content, text
    shared = content.index("Yhteinen perustehtävä kirkastuu")
    private = content.index("Vuorovaikutus tiimissä paranee")
    assert content.index("Also the orderer", shared) < private
    assert content.index("Supervisees only", private) > private
    assert (
        "The orderer sees the shared parts of the contract, the dates of meetings and the "
        "agreed attendance information – never the content of the discussions."
    ) in content


def test_page_lists_the_contracts_meetings_with_number_and_billable_badge(owner_client, world):
    held = make_meeting(world.contract, world.owner, at(2026, 11, 10))
    held.status = MeetingStatus.HELD
    held.save()
    cancelled = make_meeting(world.contract, world.owner, at(2026, 11, 24))
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.cancelled_at = timezone.now()
    cancelled.save()

    response = page(owner_client, world.contract)

    meetings = list(response.context["meetings"])
    assert [(m.number, m.billable) for m in meetings] == [(1, True), (None, False), (2, False)]
    content = response.content.decode()
    assert "1/10" in content and "2/10" in content
    assert content.count('<span class="badge billable">Billable</span>') == 1
    assert '<span class="badge held">Held</span>' in content
    assert '<span class="badge cancelled">Cancelled in time</span>' in content


def test_page_links_to_planning_and_meetings_when_those_pages_exist(owner_client, world):
    content = page(owner_client, world.contract).content.decode()

    assert reverse("contract_print", args=[world.contract.uuid]) in content
    assert reverse("edit_contract", args=[world.contract.uuid]) in content


def test_page_uses_a_bounded_number_of_queries(owner_client, world, django_assert_max_num_queries):
    for day in range(2, 20):
        make_meeting(world.contract, world.owner, at(2027, 2, day))
    page(owner_client, world.contract)

    with django_assert_max_num_queries(20):
        page(owner_client, world.contract)


def test_recording_an_acceptance_shows_it_with_the_time(owner_client, world):
    response = accept(owner_client, world.contract)

    assert response.status_code == 302
    acceptance = Acceptance.objects.get(contract=world.contract)
    assert (acceptance.version, acceptance.party, acceptance.accepted_by_name) == (
        1,
        "orderer",
        "Kaisa Esimies",
    )
    assert acceptance.accepted_at == at(2026, 11, 20, 10)
    assert acceptance.recorded_by == world.owner
    assert world.contract.versions.filter(number=1).exists()  # what was accepted is frozen
    content = page(owner_client, world.contract).content.decode()
    assert "The acceptance was recorded." in content
    assert "Kaisa Esimies, Fri 20.11.2026 at 9:00" not in content  # shown in Helsinki time
    assert "Fri 20.11.2026 at 10:00" in content
    assert "Orderer: Kaisa Esimies accepted version 1" in content


def test_a_party_accepts_a_version_only_once(owner_client, world):
    accept(owner_client, world.contract)

    response = accept(owner_client, world.contract, accepted_by_name="Joku Muu")

    assert Acceptance.objects.filter(contract=world.contract).count() == 1
    content = owner_client.get(response.url).content.decode()
    assert "The party “Orderer” has already accepted version 1." in content


def test_acceptance_in_the_future_is_refused_and_the_form_shows_why(owner_client, world):
    with time_machine.travel(at(2026, 11, 24, 12), tick=False):
        owner_client.force_login(world.owner)
        response = accept(owner_client, world.contract, accepted_at="2026-11-24T12:30")

    assert response.status_code == 200
    assert "An acceptance cannot be in the future." in response.content.decode()
    assert not Acceptance.objects.exists()


def test_acceptance_form_defaults_to_now(owner_client, world):
    with time_machine.travel(at(2026, 11, 24, 12, 5), tick=False):
        owner_client.force_login(world.owner)
        content = page(owner_client, world.contract).content.decode()

    assert 'name="accepted_at" value="2026-11-24T12:05"' in content


def test_acceptance_of_an_outdated_version_is_refused(owner_client, world):
    Contract.objects.filter(pk=world.contract.pk).update(version=2)

    response = accept(owner_client, world.contract, version=1)

    assert not Acceptance.objects.exists()
    content = owner_client.get(response.url).content.decode()
    assert "The contract has changed since the page was opened" in content


def test_contract_without_orderer_has_two_parties(owner_client, world):
    Contract.objects.filter(pk=world.contract.pk).update(organisation=None, orderer_contact=None)

    response = page(owner_client, world.contract)

    assert [party for party, _label, _a in response.context["parties"]] == [
        "supervisor",
        "supervisees",
    ]
    refused = accept(owner_client, world.contract)
    assert refused.status_code == 200
    assert not Acceptance.objects.exists()


def test_only_allowed_status_changes_are_offered(owner_client, world):
    content = page(owner_client, world.contract).content.decode()

    assert 'name="status" value="paused"' in content
    assert 'name="status" value="ended"' in content
    assert 'name="status" value="draft"' not in content
    assert 'name="status" value="trial"' not in content


@pytest.mark.parametrize(
    ("start", "steps", "final"),
    [
        (Status.DRAFT, ["trial", "active", "paused", "active", "ended"], Status.ENDED),
        (Status.DRAFT, ["active"], Status.ACTIVE),
        (Status.DRAFT, ["ended"], Status.ENDED),
    ],
)
def test_status_moves_along_the_allowed_transitions(owner_client, world, start, steps, final):
    Contract.objects.filter(pk=world.contract.pk).update(status=start)

    for step in steps:
        assert set_status(owner_client, world.contract, step).status_code == 302

    world.contract.refresh_from_db()
    assert world.contract.status == final
    events = ContractEvent.objects.filter(contract=world.contract, kind=EventKind.STATUS)
    assert events.count() == len(steps)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.ACTIVE, "draft"),
        (Status.ACTIVE, "trial"),
        (Status.ENDED, "active"),
        (Status.TRIAL, "paused"),
        (Status.ACTIVE, "bogus"),
        (Status.ACTIVE, ""),
    ],
)
def test_a_transition_that_is_not_allowed_is_refused_with_a_message(
    owner_client, world, start, target
):
    Contract.objects.filter(pk=world.contract.pk).update(status=start)

    response = set_status(owner_client, world.contract, target)

    world.contract.refresh_from_db()
    assert world.contract.status == start
    assert not ContractEvent.objects.filter(contract=world.contract).exists()
    content = owner_client.get(response.url).content.decode()
    assert f"A contract in status “{Status(start).label}” cannot become" in content


def test_an_ended_contract_offers_no_changes_and_refuses_acceptance(owner_client, world):
    set_status(owner_client, world.contract, "ended")

    content = page(owner_client, world.contract).content.decode()
    response = accept(owner_client, world.contract)

    assert reverse("edit_contract", args=[world.contract.uuid]) not in content
    assert "Record an acceptance" not in content
    assert not Acceptance.objects.exists()
    assert (
        "An ended contract can no longer be accepted."
        in owner_client.get(response.url).content.decode()
    )


def test_history_tells_what_happened_in_sentences(owner_client, world):
    accept(owner_client, world.contract, party="supervisees", accepted_by_name="Jäsen 1")
    set_status(owner_client, world.contract, "paused")

    content = page(owner_client, world.contract).content.decode()

    assert "Status changed from “Active” to “Paused”." in content
    assert "Supervisees: Jäsen 1 accepted version 1 (Fri 20.11.2026 at 10:00)." in content
    assert content.index("Status changed") < content.index("accepted version 1")  # newest first
    assert content.count("Anna Aalto") >= 2  # who did it


@pytest.mark.parametrize(
    ("kind", "data", "sentence"),
    [
        (EventKind.CREATED, {"version": 1}, "Contract created as version 1."),
        (EventKind.EDITED, {"version": 3}, "Version 3 edited."),
        (
            EventKind.NEW_VERSION,
            {"version": 2, "previous": 1},
            "Version 2 made; version 1 stays as it was accepted.",
        ),
        (EventKind.MEETINGS_PLANNED, {"count": 10}, "10 meetings planned."),
        (EventKind.MEETINGS_PLANNED, {"count": 1}, "1 meeting planned."),
        (EventKind.MEETINGS_PLANNED, {}, "Meetings planned"),
        (
            EventKind.MEETING_HELD,
            {"start": "2026-12-01T09:00:00+02:00"},
            "Meeting on Tue 1.12.2026 at 9:00 held.",
        ),
        (
            EventKind.MEETING_MOVED,
            {"old_start": "2026-12-01T09:00:00+02:00", "new_start": "2026-12-08T09:00:00+02:00"},
            "Meeting moved from Tue 1.12.2026 at 9:00 to Tue 8.12.2026 at 9:00.",
        ),
        (EventKind.MEETING_CANCELLED, {"start": "garbage"}, "Meeting cancelled"),
        ("unknown_kind", {}, "unknown_kind"),
    ],
)
def test_every_event_kind_reads_as_a_sentence(world, kind, data, sentence):
    event = ContractEvent(contract=world.contract, kind=kind, data=data)

    assert describe_event(event) == sentence


def test_assistant_reads_the_contract_but_changes_nothing(assistant_client, world):
    content = page(assistant_client, world.contract).content.decode()

    assert "Yhteinen perustehtävä kirkastuu" in content
    assert reverse("edit_contract", args=[world.contract.uuid]) not in content
    assert "Record an acceptance" not in content
    assert 'name="status"' not in content
    assert accept(assistant_client, world.contract).status_code == 403
    assert set_status(assistant_client, world.contract, "paused").status_code == 403
    edit = reverse("edit_contract", args=[world.contract.uuid])
    assert assistant_client.get(edit).status_code == 403
    assert assistant_client.get(reverse("new_contract")).status_code == 403
    assert (
        assistant_client.get(reverse("contract_print", args=[world.contract.uuid])).status_code
        == 200
    )
    assert not Acceptance.objects.exists()
    world.contract.refresh_from_db()
    assert world.contract.status == Status.ACTIVE


def test_print_view_has_the_practice_all_points_all_goals_and_signatures(owner_client, world):
    Goal.objects.create(
        contract=world.contract, text="Oma jaksaminen", visibility=GoalVisibility.SUPERVISEES
    )
    accept(owner_client, world.contract, party="supervisor", accepted_by_name="Anna Aalto")

    response = owner_client.get(reverse("contract_print", args=[world.contract.uuid]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Työnohjaus Aalto</strong>" in content
    assert f"Business ID {world.practice.business_id}" in content
    for number in range(1, 11):
        assert f'">{number}. ' in content
    for goal in [
        "Yhteinen perustehtävä kirkastuu",
        "Vuorovaikutus tiimissä paranee",
        "Oma jaksaminen",
    ]:
        assert goal in content
    assert content.count("Supervisees only</span>") == 2
    assert "VAT at the general rate" in content
    assert "Accepted by Anna Aalto on Fri 20.11.2026 at 10:00." in content
    assert content.count("Date, signature and name in print") == 2  # supervisees and orderer
    assert "Version 1" in content

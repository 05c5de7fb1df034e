"""The practice owner's audit log page: her practice's events only, newest first."""

import re

import pytest
import time_machine
from django.urls import reverse

from tests.account_helpers import reauthenticate
from tests.factories import World, at
from tila.audit.actions import record_event
from tila.audit.models import Action, AuditEvent, Outcome

pytestmark = pytest.mark.django_db
URL = reverse("audit_log")


@pytest.fixture
def owner_client(owner_client):
    """Anna, who has just confirmed access: the log asks for it (test_reauthentication.py)."""
    reauthenticate(owner_client)
    return owner_client


def note_read(world: World, **fields) -> AuditEvent:
    values = {
        "actor": world.owner,
        "practice": world.practice,
        "object_type": "contracts.Contract",
        "object_id": world.contract.uuid,
        "action": Action.READ,
        **fields,
    }
    return record_event(**values)


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)


def test_the_owner_sees_her_practices_events_newest_first(owner_client, world: World):
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        note_read(world)
    with time_machine.travel(at(2026, 12, 2, 14, 30), tick=False):
        note_read(world, actor=world.assistant, action=Action.EXPORT)
    response = owner_client.get(URL)
    assert response.status_code == 200
    first, second = rows(response.content.decode())
    assert "ke 2.12.2026 klo 14.30" in first
    assert "assi@example.test" in first
    assert "Assistentti" in first  # the assistant's role, in Finnish
    assert "ti 1.12.2026 klo 9.00" in second
    assert "anna@example.test" in second
    assert "Sopimus" in second  # the object type as a person reads it


def test_another_practices_events_never_appear(owner_client, other_client, world: World):
    note_read(world)
    record_event(
        actor=world.other_owner,
        practice=world.other_practice,
        object_type="contracts.Contract",
        object_id=world.other_contract.uuid,
        action=Action.READ,
    )
    record_event(actor=None, practice=None, object_type="", object_id="", action=Action.ROTATE_KEY)
    own = owner_client.get(URL).content.decode()
    assert len(rows(own)) == 1
    assert "bertta@example.test" not in own
    assert str(world.other_contract.uuid)[:8] not in own
    reauthenticate(other_client)
    other = other_client.get(URL).content.decode()
    assert len(rows(other)) == 1
    assert "anna@example.test" not in other
    assert "bertta@example.test" in other


def test_events_can_be_filtered_by_action(owner_client, world: World):
    note_read(world)
    note_read(world, action=Action.DENIED, outcome=Outcome.DENIED, actor=world.colleague)
    response = owner_client.get(URL, {"action": "denied"})
    (row,) = rows(response.content.decode())
    assert "kollega@example.test" in row
    assert "badge audit-denied" in row
    assert 'value="denied" selected' in response.content.decode()


def test_an_unknown_action_shows_every_event(owner_client, world: World):
    note_read(world)
    note_read(world, action=Action.UPDATE)
    response = owner_client.get(URL, {"action": "<script>"})
    assert response.status_code == 200
    assert len(rows(response.content.decode())) == 2


def test_the_detail_is_never_shown(owner_client, world: World):
    note_read(world, detail={"route": "CANARY-ROUTE-7f3a"})
    assert "CANARY-ROUTE-7f3a" not in owner_client.get(URL).content.decode()


def test_the_log_is_paginated_and_the_filter_survives_paging(owner_client, world: World):
    for _ in range(55):
        note_read(world, action=Action.UPDATE)
    note_read(world)
    first = owner_client.get(URL, {"action": "update"}).content.decode()
    assert len(rows(first)) == 50
    assert "?action=update&amp;page=2" in first
    second = owner_client.get(URL, {"action": "update", "page": 2}).content.decode()
    assert len(rows(second)) == 5


@pytest.mark.parametrize("persona", ["assistant_client", "colleague_client"])
def test_only_the_owner_may_open_the_log(request, persona, world: World):
    note_read(world)
    assert request.getfixturevalue(persona).get(URL).status_code == 403


def test_the_practice_page_links_to_the_log_for_the_owner_only(
    owner_client, assistant_client, world: World
):
    link = f'href="{URL}"'
    assert link in owner_client.get(reverse("practice_settings")).content.decode()
    assert link not in assistant_client.get(reverse("practice_settings")).content.decode()


def test_the_number_of_queries_does_not_grow_with_events(
    owner_client, world: World, django_assert_max_num_queries
):
    note_read(world)
    with django_assert_max_num_queries(10) as few:
        owner_client.get(URL)
    for index in range(40):
        note_read(world, actor=world.assistant if index % 2 else world.colleague)
    with django_assert_max_num_queries(len(few)):
        response = owner_client.get(URL)
    assert len(rows(response.content.decode())) == 41

"""The supervisor reads the supervisees' topics on the meeting's notes page; every read is
logged. Assistants, other supervisors and the orderer never see them."""

from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at
from tila.audit.models import Action, AuditEvent
from tila.clients.models import ClientMember
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.topics.actions import send_topic, withdraw_topic
from tila.topics.models import Topic

pytestmark = pytest.mark.django_db

PRIVATE = "Kanari-aihe vain ohjaajalle 7f3a"
SHARED = "Kanari-aihe koko ryhmälle 9c1e"
WITHDRAWN = "Kanari-aihe peruttu 2b8d"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        yield


def members(world: World) -> list[ClientMember]:
    return list(world.client.members.select_related("person").order_by("person__name"))


@pytest.fixture
def topics(world: World) -> list[Topic]:
    """Two topics of different members, and a third one withdrawn."""
    first, second = members(world)[:2]
    sent = []
    for member, text, shared in ((first, PRIVATE, False), (second, SHARED, True)):
        account = invite_supervisee(member=member, actor=world.owner)
        sent.append(
            send_topic(
                meeting=world.meeting,
                person=member.person,
                actor=account.user,
                text=text,
                share_with_group=shared,
            )
        )
    gone = send_topic(
        meeting=world.meeting,
        person=first.person,
        actor=first.person.supervisee_account.user,
        text=WITHDRAWN,
        share_with_group=False,
    )
    withdraw_topic(topic=gone, actor=first.person.supervisee_account.user)
    return sent


def notes_url(world: World) -> str:
    return reverse("meeting_notes", args=[world.meeting.uuid])


def test_the_supervisor_sees_the_topics_with_senders_and_sharing(
    world: World, topics: list[Topic], owner_client: HttpClient
) -> None:
    owner_client.cookies["django_language"] = "en"
    response = owner_client.get(notes_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert PRIVATE in page and SHARED in page
    assert WITHDRAWN not in page
    first, second = members(world)[:2]
    assert first.person.name in page and second.person.name in page
    assert "Shared with the group" in page and "Only for the supervisor" in page
    assert page.index(PRIVATE) < page.index(SHARED)  # oldest first


def test_each_topic_read_by_the_supervisor_is_one_audit_event(
    world: World, topics: list[Topic], owner_client: HttpClient
) -> None:
    before = AuditEvent.objects.filter(object_type="topics.Topic", action=Action.READ).count()
    owner_client.get(notes_url(world))
    reads = AuditEvent.objects.filter(object_type="topics.Topic", action=Action.READ).order_by(
        "sequence"
    )[before:]
    assert sorted(event.object_id for event in reads) == sorted(str(t.uuid) for t in topics)
    assert {(event.actor_id, event.actor_role) for event in reads} == {(world.owner.pk, "owner")}


def test_no_topics_says_so(world: World, owner_client: HttpClient) -> None:
    owner_client.cookies["django_language"] = "en"
    page = owner_client.get(notes_url(world)).content.decode()
    assert "No topics sent yet." in page


def test_assistants_and_other_supervisors_cannot_read_topics(
    world: World,
    topics: list[Topic],
    assistant_client: HttpClient,
    colleague_client: HttpClient,
    other_client: HttpClient,
) -> None:
    for http in (assistant_client, colleague_client, other_client):
        response = http.get(notes_url(world))
        assert response.status_code == 404
        assert PRIVATE not in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="topics.Topic", action=Action.READ).exists()


def test_the_orderer_never_sees_topics(world: World, topics: list[Topic]) -> None:
    account = invite_contact(contact=world.contact, actor=world.owner)
    http = HttpClient()
    http.force_login(account.user)
    for url in (
        reverse("orderer_home"),
        reverse("orderer_contract", args=[world.contract.uuid]),
    ):
        response = http.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert PRIVATE not in page and SHARED not in page
    response = http.get(notes_url(world))
    assert response.status_code == 404  # not a member of the practice: nothing here
    assert PRIVATE not in response.content.decode()
    assert http.post(reverse("send_topic", args=[world.meeting.uuid])).status_code == 404

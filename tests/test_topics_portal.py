"""Supervisees send topics to their group's coming meetings and withdraw their own."""

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from tests.factories import World, at, make_meeting, make_team
from tests.portal_helpers import log_in_as, member_of, mid_november
from tila.audit.models import Action, AuditEvent
from tila.keys.sealing import unseal
from tila.meetings.models import Meeting, MeetingStatus
from tila.topics.models import Topic

pytestmark = pytest.mark.django_db

SECRET = "Kanari-aihe: vuorolistan riita ja väsymys"
SHARED = "Jaettu aihe: perehdytys uusille"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with mid_november():
        yield


def send_url(meeting: Meeting) -> str:
    return reverse("send_topic", args=[meeting.uuid])


def withdraw_url(topic: Topic) -> str:
    return reverse("withdraw_topic", args=[topic.uuid])


def send(http: HttpClient, meeting: Meeting, text: str, shared: bool = False) -> None:
    data = {"text": text, **({"share_with_group": "on"} if shared else {})}
    response = http.post(send_url(meeting), data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal_home')}#meeting-{meeting.uuid}"


def test_a_supervisee_sends_a_topic_and_sees_it_under_the_meeting(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    page = http.get(reverse("portal_home")).content.decode()
    assert send_url(world.meeting) in page
    send(http, world.meeting, SECRET)
    topic = Topic.objects.get()
    assert topic.person == member.person and topic.meeting == world.meeting
    assert topic.practice == world.practice and not topic.share_with_group
    page = http.get(reverse("portal_home")).content.decode()
    assert SECRET in page
    assert withdraw_url(topic) in page
    created = AuditEvent.objects.get(object_type="topics.Topic", action=Action.CREATE)
    assert created.actor == member.person.supervisee_account.user
    assert created.actor_role == "supervisee" and created.object_id == str(topic.uuid)
    # Reading one's own topic is not logged as a read.
    assert not AuditEvent.objects.filter(object_type="topics.Topic", action=Action.READ).exists()


def test_the_text_is_stored_sealed(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    send(http, world.meeting, SECRET)
    topic = Topic.objects.get()
    assert SECRET not in topic.text and topic.text.startswith("v1.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {Topic._meta.db_table}")  # noqa: S608
        [(stored,)] = cursor.fetchall()
    assert SECRET not in stored
    assert unseal(world.practice, stored, context=topic.context) == SECRET


def test_an_empty_or_too_long_topic_is_refused_with_a_message(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    http.cookies["django_language"] = "en"
    response = http.post(send_url(world.meeting), {"text": "   "}, follow=True)
    assert "This field is required." in response.content.decode()
    response = http.post(send_url(world.meeting), {"text": "x" * 2001}, follow=True)
    assert "at most 2000 characters" in response.content.decode()
    assert not Topic.objects.exists()


def test_the_group_sees_only_topics_shared_with_it_with_the_senders_name(world: World) -> None:
    first, second = member_of(world.contract, 0), member_of(world.contract, 1)
    sender = log_in_as(first, world.owner)
    send(sender, world.meeting, SECRET)
    send(sender, world.meeting, SHARED, shared=True)
    reader = log_in_as(second, world.owner)
    page = reader.get(reverse("portal_home")).content.decode()
    assert SHARED in page and first.person.name in page
    assert SECRET not in page
    shared = Topic.objects.get(share_with_group=True)
    assert withdraw_url(shared) not in page
    [read] = AuditEvent.objects.filter(object_type="topics.Topic", action=Action.READ)
    assert read.object_id == str(shared.uuid)
    assert read.actor == second.person.supervisee_account.user
    assert read.actor_role == "supervisee"


def test_the_portal_home_reads_topics_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    send(http, world.meeting, SECRET)
    with django_assert_max_num_queries(20) as few:
        http.get(reverse("portal_home"))
    queries = len(few)  # now: the next request resets Django's query log
    for number in range(5):
        send(http, world.meeting, f"{SECRET} {number}")
    with django_assert_max_num_queries(queries):
        http.get(reverse("portal_home"))


def test_a_supervisee_withdraws_her_topic_and_its_text_is_erased(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    send(http, world.meeting, SECRET, shared=True)
    topic = Topic.objects.get()
    response = http.post(withdraw_url(topic))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.withdrawn_at == timezone.now() and topic.text == ""
    assert SECRET not in http.get(reverse("portal_home")).content.decode()
    assert http.post(withdraw_url(topic)).status_code == 302  # again: nothing changes
    deleted = AuditEvent.objects.filter(object_type="topics.Topic", action=Action.DELETE)
    assert deleted.count() == 1


def test_another_member_cannot_withdraw_someone_elses_topic(world: World) -> None:
    send(log_in_as(member_of(world.contract, 0), world.owner), world.meeting, SHARED, shared=True)
    topic = Topic.objects.get()
    other = log_in_as(member_of(world.contract, 1), world.owner)
    assert other.post(withdraw_url(topic)).status_code == 404
    topic.refresh_from_db()
    assert topic.withdrawn_at is None


def test_a_member_of_another_group_gets_404(world: World) -> None:
    send(log_in_as(member_of(world.contract), world.owner), world.meeting, SECRET)
    topic = Topic.objects.get()
    other_team = make_team(world.practice, world.organisation, size=1)
    outsider = other_team.members.get()
    outsider.person.email = "outsider@example.test"
    outsider.person.save()
    http = log_in_as(outsider, world.owner)
    assert http.post(send_url(world.meeting), {"text": "Minäkin"}).status_code == 404
    assert http.post(withdraw_url(topic)).status_code == 404
    assert Topic.objects.count() == 1 and Topic.objects.get().withdrawn_at is None
    assert SECRET not in http.get(reverse("portal_home")).content.decode()


def test_a_member_who_left_the_group_cannot_send(world: World) -> None:
    member = member_of(world.contract)
    http = log_in_as(member, world.owner)
    member.left_on = date(2026, 11, 10)
    member.save()
    assert http.post(send_url(world.meeting), {"text": SECRET}).status_code == 404
    assert not Topic.objects.exists()


def test_a_supervisee_of_another_practice_gets_404(world: World) -> None:
    send(log_in_as(member_of(world.contract), world.owner), world.meeting, SECRET)
    topic = Topic.objects.get()
    http = log_in_as(member_of(world.other_contract), world.other_owner)
    assert http.post(send_url(world.meeting), {"text": "Vieras"}).status_code == 404
    assert http.post(withdraw_url(topic)).status_code == 404
    assert Topic.objects.count() == 1 and Topic.objects.get().withdrawn_at is None


def test_supervisors_and_assistants_get_404(
    world: World, owner_client: HttpClient, assistant_client: HttpClient
) -> None:
    send(log_in_as(member_of(world.contract), world.owner), world.meeting, SECRET)
    topic = Topic.objects.get()
    for http in (owner_client, assistant_client):
        assert http.post(send_url(world.meeting), {"text": "Ohjaaja"}).status_code == 404
        assert http.post(withdraw_url(topic)).status_code == 404
    assert Topic.objects.count() == 1 and Topic.objects.get().withdrawn_at is None


def test_a_get_is_refused_and_an_anonymous_visitor_is_sent_to_the_login(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    assert http.get(send_url(world.meeting)).status_code == 405
    response = HttpClient().post(send_url(world.meeting), {"text": SECRET})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Topic.objects.exists()


def test_a_past_or_cancelled_meeting_takes_no_topics(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    http.cookies["django_language"] = "en"
    past = make_meeting(world.contract, world.owner, at(2026, 11, 1))
    cancelled = make_meeting(world.contract, world.owner, at(2026, 12, 15))
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    page = http.get(reverse("portal_home")).content.decode()
    assert send_url(world.meeting) in page
    assert send_url(cancelled) not in page and send_url(past) not in page
    for meeting in (past, cancelled):
        response = http.post(send_url(meeting), {"text": SECRET}, follow=True)
        assert response.status_code == 200
        assert "only to a planned meeting that has not started yet" in response.content.decode()
    assert not Topic.objects.exists()


def test_a_meeting_that_has_started_takes_no_topics(world: World) -> None:
    http = log_in_as(member_of(world.contract), world.owner)
    with time_machine.travel(at(2026, 12, 1, 9, 5), tick=False):
        http.post(send_url(world.meeting), {"text": SECRET})
    assert not Topic.objects.exists()

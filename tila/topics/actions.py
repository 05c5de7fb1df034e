"""Sending, withdrawing and reading topics. Every write and every read by someone other
than the topic's sender is audited."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import DetailValue, record_event
from tila.audit.models import Action, ActorRole
from tila.clients.models import Person
from tila.keys.sealing import seal, unseal
from tila.meetings.models import Meeting, MeetingStatus
from tila.topics.models import Topic

OBJECT_TYPE = "topics.Topic"


class TopicError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadTopic:
    """A topic with its text opened, for one page."""

    topic: Topic
    text: str
    own: bool


def takes_topics(meeting: Meeting) -> bool:
    """Topics go to planned meetings that have not started yet."""
    return meeting.status == MeetingStatus.PLANNED and meeting.start > timezone.now()


def _audit(topic: Topic, actor: User, action: str, role: str | None, **detail: DetailValue) -> None:
    record_event(
        actor=actor,
        practice=topic.practice,
        object_type=OBJECT_TYPE,
        object_id=str(topic.uuid),
        action=action,
        detail={"shared": topic.share_with_group, **detail},
        role=role,
    )


def send_topic(
    *, meeting: Meeting, person: Person, actor: User, text: str, share_with_group: bool
) -> Topic:
    """Seal and save the person's topic for the meeting. The caller has checked that the
    person belongs to the meeting's group (``tila.topics.access``)."""
    if not takes_topics(meeting):
        raise TopicError(
            _("Topics can be sent only to a planned meeting that has not started yet.")
        )
    if not text.strip():
        raise TopicError(_("Write the topic first."))
    with transaction.atomic():
        topic = Topic(
            practice=meeting.practice,
            meeting=meeting,
            person=person,
            share_with_group=share_with_group,
        )
        topic.text = seal(meeting.practice, text.strip(), context=topic.context)
        topic.save()
        _audit(topic, actor, Action.CREATE, ActorRole.SUPERVISEE)
    return topic


def withdraw_topic(*, topic: Topic, actor: User) -> Topic:
    """Withdraw the topic and erase its text; withdrawing again changes nothing."""
    with transaction.atomic():
        locked = Topic.objects.select_for_update().select_related("practice").get(pk=topic.pk)
        if locked.is_withdrawn:
            return locked
        locked.withdrawn_at = timezone.now()
        locked.text = ""
        locked.save(update_fields=["withdrawn_at", "text"])
        _audit(locked, actor, Action.DELETE, ActorRole.SUPERVISEE, withdrawn=True)
    return locked


def _open(
    topics: Iterable[Topic], actor: User, role: str, reader: Person | None
) -> list[ReadTopic]:
    """Unseal each topic; record a read of every topic that is not the reader's own."""
    result = []
    for topic in topics:
        text = unseal(topic.practice, topic.text, context=topic.context)
        own = reader is not None and topic.person_id == reader.pk
        if not own:
            _audit(topic, actor, Action.READ, role)
        result.append(ReadTopic(topic=topic, text=text, own=own))
    return result


def read_portal_topics(
    *, person: Person, meetings: Iterable[Meeting], actor: User
) -> dict[int, list[ReadTopic]]:
    """For each meeting (by id): the person's own topics and those others shared with the
    group, not withdrawn, oldest first."""
    found = (
        Topic.objects.filter(meeting__in=list(meetings), withdrawn_at__isnull=True)
        .filter(Q(person=person) | Q(share_with_group=True))
        .select_related("practice", "person")
        .order_by("created_at", "id")
    )
    by_meeting: dict[int, list[ReadTopic]] = {}
    for read in _open(found, actor, ActorRole.SUPERVISEE, person):
        by_meeting.setdefault(read.topic.meeting_id, []).append(read)
    return by_meeting


def read_meeting_topics(*, meeting: Meeting, actor: User, role: str) -> list[ReadTopic]:
    """Every topic of the meeting that is not withdrawn, for its supervisor."""
    topics = Topic.objects.filter(meeting=meeting, withdrawn_at__isnull=True).select_related(
        "practice", "person"
    )
    return _open(topics, actor, role, reader=None)

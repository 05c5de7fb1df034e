"""The topics a person sent: exported with their text, erased entirely with her, and
deleted with the rest of an ended contract's content."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Contact, Person
from tila.contracts.models import Contract
from tila.keys.sealing import unseal
from tila.lib.privacy import Counts, PlanLine, Section, item
from tila.topics.actions import OBJECT_TYPE
from tila.topics.models import Topic

Subject = Person | Contact


def _read(topic: Topic, actor: User) -> str:
    """The topic's text for an export; the read is audited like any other."""
    text = unseal(topic.practice, topic.text, context=topic.context)
    record_event(
        actor=actor,
        practice=topic.practice,
        object_type=OBJECT_TYPE,
        object_id=str(topic.uuid),
        action=Action.READ,
        detail={"shared": topic.share_with_group, "export": True},
    )
    return text


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        return []
    topics = (
        Topic.objects.filter(person=subject)
        .select_related("practice", "meeting__contract")
        .order_by("created_at", "id")
    )
    return [
        Section(
            key="topics",
            title=_("Topics you sent"),
            about=_("Topics you brought to meetings through the portal."),
            records=[
                [
                    item("contract", _("Contract"), topic.meeting.contract.title),
                    item("meeting", _("Meeting"), topic.meeting.start),
                    item("sent_at", _("Sent"), topic.created_at),
                    item("shared_with_group", _("Shared with the group"), topic.share_with_group),
                    item("withdrawn_at", _("Withdrawn"), topic.withdrawn_at),
                    item("text", _("Text"), _read(topic, actor) if topic.text else ""),
                ]
                for topic in topics
            ],
        )
    ]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    count = Topic.objects.filter(person=subject).count()
    return [
        PlanLine(
            ngettext("%(count)d topic sent", "%(count)d topics sent", count) % {"count": count},
            erase=True,
        )
    ]


def delete_topics(topics: QuerySet[Topic], *, actor: User | None, reason: str) -> int:
    """Delete the topics; one ``delete`` audit event each."""
    count = 0
    for topic in topics.select_related("practice"):
        record_event(
            actor=actor,
            practice=topic.practice,
            object_type=OBJECT_TYPE,
            object_id=str(topic.uuid),
            action=Action.DELETE,
            detail={"reason": reason},
        )
        topic.delete()
        count += 1
    return count


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    topics = Topic.objects.filter(person=subject)
    return {"topics": delete_topics(topics, actor=actor, reason="erasure")}


def count_contract_content(contract: Contract) -> Counts:
    return {"topics": Topic.objects.filter(meeting__contract=contract).count()}


def delete_contract_content(contract: Contract) -> Counts:
    topics = Topic.objects.filter(meeting__contract=contract)
    return {"topics": delete_topics(topics, actor=None, reason="retention")}

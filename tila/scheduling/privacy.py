"""A person's answers to scheduling polls.

Her answers say when she could come; they are hers, and erasing her removes them and ends
her answer links. The polls and their times stay: they are the group's."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.clients.models import Contact, Person
from tila.lib.privacy import Counts, PlanLine, Section, item
from tila.scheduling.models import PollAnswer, PollInvitee

Subject = Person | Contact


def _answers(person: Person) -> QuerySet[PollAnswer]:
    return PollAnswer.objects.filter(invitee__member__person=person)


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        return []
    answers = _answers(subject).select_related("time__poll__contract")
    return [
        Section(
            key="scheduling_answers",
            title=_("Answers to scheduling polls"),
            about=_("Which of the proposed times would suit you, as you answered."),
            records=[
                [
                    item("contract", _("Contract"), answer.time.poll.contract.title),
                    item("start", _("Starts"), answer.time.start),
                    item("end", _("Ends"), answer.time.end),
                    item("answer", _("Answer"), answer.get_choice_display()),
                ]
                for answer in answers.order_by("time__start", "id")
            ],
        )
    ]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return []
    count = _answers(subject).count()
    if not count:
        return []
    return [
        PlanLine(
            ngettext(
                "%(count)d answer to a scheduling poll",
                "%(count)d answers to scheduling polls",
                count,
            )
            % {"count": count},
            erase=True,
        )
    ]


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        return {}
    deleted, _by_model = _answers(subject).delete()
    PollInvitee.objects.filter(member__person=subject).update(token_hash="", answered_at=None)
    return {"poll_answers": deleted}

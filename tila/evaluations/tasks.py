"""Invitations to answer an evaluation, and one reminder, as django-tasks background tasks.

``open_round`` queues ``invite_to_round`` in the transaction that opens the round. It makes a
personal answer link for each current member with an email address, queues one delivery per
person and one reminder run ``REMIND_AFTER`` later. The reminder goes only to those who have
not answered while the round is still open. A delivery that the mail server refuses queues
itself again later (``tila.lib.retry``)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tila.evaluations.links import evaluation_message, links_to_send
from tila.evaluations.models import AnswerLink, EvaluationRound, Respondent
from tila.lib.retry import retry_later

REMIND_AFTER = timedelta(days=3)
INVITATION = "invitation"
REMINDER = "reminder"


def _open_round(round_uuid: str) -> EvaluationRound | None:
    return (
        EvaluationRound.objects.filter(uuid=round_uuid, closed_at__isnull=True)
        .select_related("practice", "contract", "contract__client", "questionnaire", "opened_by")
        .first()
    )


@task()
def invite_to_round(round_uuid: str) -> int:
    """Queue one invitation per person and the reminder. Returns the invitations queued."""
    evaluation = _open_round(round_uuid)
    if evaluation is None:
        return 0
    links = [link for link in links_to_send(evaluation) if link.invited_at is None]
    for link in links:
        deliver_evaluation_mail.enqueue(str(link.uuid), INVITATION, 0)
    remind_round.using(run_after=timezone.now() + REMIND_AFTER).enqueue(round_uuid)
    return len(links)


@task()
def remind_round(round_uuid: str) -> int:
    """Queue one reminder to each invited person who has not answered. Returns how many."""
    evaluation = _open_round(round_uuid)
    if evaluation is None:
        return 0
    answered = Respondent.objects.filter(round=evaluation).values("person_id")
    links = AnswerLink.objects.filter(
        round=evaluation, invited_at__isnull=False, reminded_at__isnull=True
    ).exclude(person_id__in=answered)
    keys = [str(link.uuid) for link in links]
    for key in keys:
        deliver_evaluation_mail.enqueue(key, REMINDER, 0)
    return len(keys)


@task()
def deliver_evaluation_mail(link_uuid: str, kind: str, attempt: int) -> bool:
    """Send one person her invitation or reminder. Returns whether it was sent now."""
    link = (
        AnswerLink.objects.filter(uuid=link_uuid, round__closed_at__isnull=True)
        .select_related("person", "round", "round__practice", "round__contract")
        .select_related("round__questionnaire", "round__opened_by")
        .first()
    )
    if link is None or not link.person.email:
        return False
    if Respondent.objects.filter(round=link.round, person=link.person).exists():
        return False
    try:
        evaluation_message(link, reminder=kind == REMINDER).send()
    except Exception as error:
        retry_later(
            deliver_evaluation_mail,
            [link_uuid, kind],
            attempt,
            f"Evaluation mail ({kind}) to link {link_uuid}",
            error,
        )
        return False
    field = "reminded_at" if kind == REMINDER else "invited_at"
    AnswerLink.objects.filter(pk=link.pk).update(**{field: timezone.now()})
    return True

"""A person's own link to answer a round without logging in, and the mail that carries it.

The token is the ``AnswerLink``'s random UUID signed with the site's secret: it cannot be
guessed or made for another person or round, and deleting the link row revokes it. The
token names the link, never the person. It answers once: the submission goes through
``submit_answers`` like the portal's, so the database refuses a second one
(``Respondent``), and in an anonymous round the stored answer has no link to the person."""

from email.utils import formataddr
from uuid import UUID

from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tila.contracts.models import Status
from tila.evaluations.models import AnswerLink, EvaluationRound
from tila.meetings.calendar import site_link

LINK_SALT = "tila.evaluations.answer-link"
CURRENT_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]


def link_token(link: AnswerLink) -> str:
    return signing.Signer(salt=LINK_SALT).sign(str(link.uuid))


def link_url(link: AnswerLink) -> str:
    return site_link(reverse("evaluation_by_link", args=[link_token(link)]))


def read_link_token(token: str) -> AnswerLink:
    """The link the token was made for, while its person may still answer; else Http404."""
    try:
        link_uuid = UUID(signing.Signer(salt=LINK_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise Http404 from error
    link = (
        AnswerLink.objects.filter(
            uuid=link_uuid,
            round__contract__status__in=CURRENT_STATUSES,
            round__contract__client__members__person=F("person"),
            round__contract__client__members__left_on__isnull=True,
        )
        .select_related("round", "round__practice", "round__contract", "round__questionnaire")
        .select_related("person")
        .distinct()
        .first()
    )
    if link is None:
        raise Http404
    return link


def links_to_send(evaluation: EvaluationRound) -> list[AnswerLink]:
    """A link for each current member of the client with an email address, made once."""
    links = []
    for member in evaluation.contract.client.current_members():
        if member.person.email:
            link, _created = AnswerLink.objects.get_or_create(
                round=evaluation, person=member.person
            )
            links.append(link)
    return links


def evaluation_message(link: AnswerLink, *, reminder: bool) -> EmailMessage:
    evaluation = link.round
    person = link.person
    supervisor = evaluation.opened_by or evaluation.contract.supervisors.order_by("pk").first()
    with translation.override(person.language):
        context = {
            "name": person.name,
            "evaluation": evaluation,
            "title": evaluation.questionnaire.title,
            "practice": evaluation.practice,
            "supervisor": supervisor,
            "url": link_url(link),
            "portal_url": site_link(reverse("portal_evaluations")),
            "reminder": reminder,
        }
        title = evaluation.questionnaire.title
        subject = (
            _("Reminder: %(title)s") % {"title": title}
            if reminder
            else _("Please answer: %(title)s") % {"title": title}
        )
        body = render_to_string("evaluations/email/invitation.txt", context)
    reply_to = [formataddr((supervisor.name, supervisor.email))] if supervisor else []
    return EmailMessage(
        subject=subject,
        body=body,
        to=[formataddr((person.name, person.email))],
        reply_to=reply_to,
    )
